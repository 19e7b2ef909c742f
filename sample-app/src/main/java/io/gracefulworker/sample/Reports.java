package io.gracefulworker.sample;

import java.time.Duration;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Renders reports page by page; when the worker stops, it saves the last finished page and is
 * requeued, and the next attempt resumes from there.
 */
@Component
public class Reports {

	private static final Log logger = LogFactory.getLog(Reports.class);

	private static final Duration PAGE_TIME = Duration.ofMillis(100);

	@Job(name = "reports.render", queue = "reports")
	public void render(ReportRequest request, JobContext context) throws InterruptedException {
		int page = context.checkpoint(Integer.class).orElse(0);
		if (page > 0) {
			logger.info("Report " + context.id() + " resumes after page " + page);
		}
		while (page < request.pages()) {
			if (context.isCancelled()) {
				logger.info("Report " + context.id() + " cancelled after page " + page);
				return;
			}
			if (context.isStopping()) {
				context.checkpoint(page);
				context.requeue();
			}
			Thread.sleep(PAGE_TIME.toMillis());
			page++;
		}
		logger.info("Report " + context.id() + " rendered: " + page + " pages");
	}

}
