package io.scitex.tunnel.setup;

/**
 * One check setup makes before it writes anything.
 *
 * @param name    what was checked ({@code key}, {@code programs}, {@code bastion}, ...)
 * @param outcome passed, failed or skipped
 * @param detail  what was found; for a failure, why and what to do
 */
public record PreflightCheck(String name, Outcome outcome, String detail) {
    /** How a check ended. */
    public enum Outcome { PASSED, FAILED, SKIPPED }
}
