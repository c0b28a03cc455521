package io.scitex.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version, from the properties file the build fills in. */
public final class Version {
    private Version() {}

    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/scitex-tunnel.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
