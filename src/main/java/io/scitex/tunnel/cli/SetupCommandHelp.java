package io.scitex.tunnel.cli;

import java.util.ListResourceBundle;

/**
 * The help texts in which {@code setup} differs from the shared {@link TunnelOptionsMixin}: its {@code -s}
 * defaults, unlike run's, to the tunnel's own key from keygen, and {@code ~} is the invoking user's home.
 * picocli reads it as setup's resource bundle, so it must be public.
 */
public final class SetupCommandHelp extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        return new Object[][] {
            {TunnelOptionsMixin.KEY_HELP, "Private key for the bastion; ~ means your home. Default: $"
                    + TunnelOptionsMixin.KEY_VARIABLE + ", else the tunnel's own key from `scitex-tunnel keygen -p PORT`."},
        };
    }
}
