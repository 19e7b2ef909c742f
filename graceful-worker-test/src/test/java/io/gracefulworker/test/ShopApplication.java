package io.gracefulworker.test;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small application with jobs, as a user's would be.
 */
@SpringBootApplication
class ShopApplication {

}
