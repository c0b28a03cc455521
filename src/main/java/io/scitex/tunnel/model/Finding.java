package io.scitex.tunnel.model;

import java.util.Objects;

/**
 * One thing {@code doctor} found about a tunnel, and what to do about it.
 *
 * @param severity whether it is fine, advice, or a problem that keeps the tunnel from working
 * @param subject  what it is about ({@code service}, {@code key}, {@code bastion}, {@code tunnel}, ...)
 * @param text     what was found, one line
 * @param fix      what to do; empty when nothing needs doing
 */
public record Finding(Severity severity, String subject, String text, String fix) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fix, "fix");
    }

    static Finding ok(String subject, String text) {
        return new Finding(Severity.OK, subject, text, "");
    }

    static Finding advice(String subject, String text, String fix) {
        return new Finding(Severity.ADVICE, subject, text, fix);
    }

    static Finding problem(String subject, String text, String fix) {
        return new Finding(Severity.PROBLEM, subject, text, fix);
    }

    /** How much a finding matters. */
    public enum Severity { OK, ADVICE, PROBLEM }
}
