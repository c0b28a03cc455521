package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.BastionAddress;

/** {@code -b [USER@]HOST[:SSHPORT]}: checked so that no value can become an ssh option. */
final class BastionConverter extends ModelConverter<BastionAddress> {
    @Override
    BastionAddress parse(String value) {
        return BastionAddress.parse(value);
    }
}
