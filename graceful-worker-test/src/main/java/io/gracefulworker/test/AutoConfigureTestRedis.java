package io.gracefulworker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Annotation for a test class whose application context gets a real Redis server of its own,
 * started with the context and stopped after its worker drained: a Testcontainers container
 * when a Docker engine answers, otherwise a {@code redis-server} process on a free loopback port
 * (the one on the PATH, else the binary {@code embedded-redis} ships). The context connects to
 * it through a {@link TestRedisServer} bean, the {@code DataRedisConnectionDetails} that a
 * {@code @ServiceConnection} container would register, and {@code spring.data.redis.host} and
 * {@code port}.
 *
 * <p>A test that already declares a {@code @ServiceConnection} Redis container needs no such
 * annotation. The system property {@code gw.test.redis} forces a kind: {@code process},
 * {@code container} or {@code embedded} (the {@code embedded-redis} binary, Redis 6.2, even
 * where another is on the PATH); {@code gw.test.redis-server} names the binary a process runs,
 * such as {@code /usr/bin/valkey-server}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureTestRedis {

}
