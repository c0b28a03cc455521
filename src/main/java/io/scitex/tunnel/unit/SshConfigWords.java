package io.scitex.tunnel.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads values the way ssh reads its configuration: the words of an option ({@code argv_split} in OpenSSH
 * 8.7+: whitespace separates, quotes group, {@code \"}, {@code \'}, {@code \\} and, outside quotes, {@code \ }
 * are escapes) and the {@code ~} and {@code %} expansion ssh applies to file paths. It is the reverse of
 * {@link AutosshCommandLine#sshPath}.
 */
public final class SshConfigWords {
    private SshConfigWords() {}

    /** The words of an ssh_config value, unquoted and unescaped. */
    public static List<String> split(String value) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (; i < n; i++) {
                char c = value.charAt(i);
                char next = i + 1 < n ? value.charAt(i + 1) : 0;
                if (c == '\\' && (next == '\'' || next == '"' || next == '\\' || quote == 0 && next == ' ')) {
                    word.append(next);
                    i++;
                } else if (quote == 0 && (c == ' ' || c == '\t')) {
                    break;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            }
            words.add(word.toString());
        }
        return words;
    }

    /**
     * A file path as ssh opens it for a user: a leading {@code ~} or {@code ~/} is the user's home, and the
     * tokens {@code %%} ({@code %}), {@code %d} (home) and {@code %u} (user) are expanded. Other tokens
     * depend on the connection and are left as written.
     */
    public static Path expandPath(String path, Path home, String user) {
        String text = path.equals("~") ? home.toString()
                : path.startsWith("~/") ? home + path.substring(1) : path;
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char token = text.charAt(++i);
            switch (token) {
                case '%' -> out.append('%');
                case 'd' -> out.append(home);
                case 'u' -> out.append(user);
                default -> out.append('%').append(token);
            }
        }
        return Path.of(out.toString());
    }
}
