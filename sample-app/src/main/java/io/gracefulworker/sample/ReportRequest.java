package io.gracefulworker.sample;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A request to render a report.
 *
 * @param customer the customer the report is for
 * @param pages how many pages to render
 */
public record ReportRequest(@NotBlank String customer, @Min(1) @Max(1000) int pages) {
}
