package dev.hansa.server.round;

import dev.hansa.server.system.HansaProblem;
import org.springframework.http.HttpStatus;

/**
 * An upload the server could not keep because its own disk refused the write (full, or failing): {@code 507
 * insufficient-storage}, retryable. The detail names what could not be written, not where, and the cause goes to the
 * server's log.
 */
final class InsufficientStorage extends HansaProblem {

    InsufficientStorage(String what) {
        super(HttpStatus.INSUFFICIENT_STORAGE, "insufficient-storage", "the server cannot keep " + what
                + " (its disk is full or failing); nothing of this upload was kept; retry later");
    }
}
