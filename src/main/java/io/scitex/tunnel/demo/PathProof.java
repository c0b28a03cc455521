package io.scitex.tunnel.demo;

import java.time.Duration;

/**
 * What one connection to the bastion's forwarded port got back: the first line the target sent, and
 * whether a line sent to it came back (only the demo's own target echoes).
 *
 * @param answer    the target's first line, received through the tunnel
 * @param echoed    whether a random line came back unchanged (false when not checked)
 * @param roundTrip from connecting to the last answer
 */
public record PathProof(String answer, boolean echoed, Duration roundTrip) {}
