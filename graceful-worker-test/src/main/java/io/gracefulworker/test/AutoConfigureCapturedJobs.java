package io.gracefulworker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Annotation for a test class whose application context captures the jobs it enqueues instead
 * of storing them in Redis, to assert them and run them on the test's thread through the
 * {@link CapturedJobs} bean. No worker runs and no Redis is needed. Captured jobs are forgotten
 * after each test method.
 *
 * <p>Everything before the store is the application's own: a {@code @Job} call and
 * {@link io.gracefulworker.JobClient} check and encode the arguments with the application's JSON
 * mapper and, inside a transaction, capture the job only when it commits.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(CapturedJobsAutoConfiguration.class)
@TestPropertySource(properties = "graceful-worker.worker.enabled=false")
public @interface AutoConfigureCapturedJobs {

}
