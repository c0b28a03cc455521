package io.scitex.tunnel.bastion;

import io.scitex.tunnel.ssh.SshPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key of an account's {@code authorized_keys} file, with the ports its {@code permitlisten} options let it
 * hold on the bastion.
 *
 * @param account the bastion account whose file it is
 * @param line    its line number in the file, from 1
 * @param comment what follows the key; for keys {@code authorize} wrote, {@code scitex-tunnel-PORT@HOST}
 * @param listens the ports of its {@code permitlisten="[HOST:]PORT"} options ({@code *} is left out: any port)
 */
public record AuthorizedKey(String account, int line, SshPublicKey key, String comment, List<Integer> listens) {
    private static final Pattern KEY_TYPE = Pattern.compile("(ssh-|ecdsa-|sk-)[a-z0-9@._-]+");
    private static final Pattern PERMIT_LISTEN = Pattern.compile("(?i)^permitlisten=\"(?:(.*):)?([0-9]+)\"$");
    private static final Pattern AUTHORIZE_COMMENT = Pattern.compile("scitex-tunnel-[0-9]+@(.+)");

    public AuthorizedKey {
        listens = List.copyOf(listens);
    }

    public String fingerprint() {
        return key.fingerprint();
    }

    /** The host {@code authorize}'s comment names ({@code scitex-tunnel-PORT@HOST}), else the whole comment. */
    public String host() {
        Matcher named = AUTHORIZE_COMMENT.matcher(comment);
        return named.matches() ? named.group(1) : comment;
    }

    /** The keys of one file's text; lines that are not keys (comments, blanks, garbage) are skipped. */
    public static List<AuthorizedKey> parseFile(String account, String text) {
        List<AuthorizedKey> keys = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            parseLine(account, i + 1, lines[i]).ifPresent(keys::add);
        }
        return keys;
    }

    static Optional<AuthorizedKey> parseLine(String account, int number, String text) {
        String line = text.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        List<String> words = words(line);
        for (int i = 0; i + 1 < words.size(); i++) {
            if (KEY_TYPE.matcher(words.get(i)).matches()) {
                try {
                    SshPublicKey key = new SshPublicKey(words.get(i), words.get(i + 1));
                    List<Integer> listens = new ArrayList<>();
                    if (i > 0) {
                        for (String option : options(words.get(0))) {
                            Matcher listen = PERMIT_LISTEN.matcher(option);
                            if (listen.matches()) {
                                listens.add(Integer.parseInt(listen.group(2)));
                            }
                        }
                    }
                    String comment = String.join(" ", words.subList(i + 2, words.size()));
                    return Optional.of(new AuthorizedKey(account, number, key, comment, listens));
                } catch (RuntimeException notAKey) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Blank-separated words; blanks inside double quotes (option values) do not separate. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                word.append(c);
                c = line.charAt(++i);
            }
            if (!quoted && (c == ' ' || c == '\t')) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** The comma-separated options; commas inside double quotes do not separate. */
    private static List<String> options(String field) {
        List<String> options = new ArrayList<>();
        StringBuilder option = new StringBuilder();
        boolean quoted = false;
        for (char c : field.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                options.add(option.toString());
                option.setLength(0);
            } else {
                option.append(c);
            }
        }
        options.add(option.toString());
        return options;
    }
}
