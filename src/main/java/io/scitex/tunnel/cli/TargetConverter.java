package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.TargetAddress;

/** {@code --target HOST:PORT}: where the tunnel's connections go, seen from this machine. */
final class TargetConverter extends ModelConverter<TargetAddress> {
    @Override
    TargetAddress parse(String value) {
        return TargetAddress.parse(value);
    }
}
