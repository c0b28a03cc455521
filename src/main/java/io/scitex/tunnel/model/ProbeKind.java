package io.scitex.tunnel.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a probe gets evidence that a connection through the tunnel reached the target. Setup finds out which
 * fits by connecting to the target on this machine, and records it in the unit; units without one are probed
 * as {@link #GREETING}, as before probe kinds existed.
 */
public enum ProbeKind {
    /** The target speaks first (sshd, SMTP, most daemons with a banner): its first line is the evidence. */
    GREETING,
    /** The target waits for the client and speaks HTTP (web servers, Jupyter): any status line answering a HEAD is. */
    HTTP,
    /**
     * The target waits and speaks no protocol the probe knows: nothing it says can be waited for, and silence
     * proves nothing (a bastion holding a dead session's port is silent too). Only the native engine's own
     * record of relaying a connection is evidence then.
     */
    SILENT;

    /** The word in units, options and JSON: {@code greeting}, {@code http}, {@code silent}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code word}; {@link InvalidInputException} naming the choices otherwise. */
    public static ProbeKind parse(String word) {
        return Arrays.stream(values()).filter(kind -> kind.label().equals(word)).findFirst()
                .orElseThrow(() -> new InvalidInputException("probe kind must be one of " + Arrays.stream(values())
                        .map(ProbeKind::label).collect(Collectors.joining(", ")) + ", not " + Printable.quoted(word)));
    }
}
