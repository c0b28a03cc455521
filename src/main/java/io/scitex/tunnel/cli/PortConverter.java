package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.TunnelPort;

/** {@code -p PORT}: a tunnel's port, 1 to 65535, digits only. */
final class PortConverter extends ModelConverter<Integer> {
    @Override
    Integer parse(String value) {
        return TunnelPort.parse(value);
    }
}
