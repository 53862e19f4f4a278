package io.github.milvuscdi.internal.credentials;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a user file and a password file ({@code user-file}, {@code password-file}) as one pair. Kubernetes changes
 * both of a {@code basic-auth} secret's files at once, by swapping its {@code ..data} link, but reading two files
 * takes two reads, and a swap between them would pair the former user with the new password: a call carrying that
 * pair would be refused. So the pair is read again until two reads in a row agree, at most {@link #READS} times;
 * past that, the read fails ({@link FilesKeptChanging}) and the caller keeps the pair read last, as it does for a
 * file that vanished.
 *
 * <p>Thread-safe when its {@link FileContent} is.
 */
final class UserPasswordFiles implements CredentialsRead {

    /** How many times the pair is read, at most, to find two reads in a row that agree. */
    static final int READS = 4;

    private final Path userFile;
    private final Path passwordFile;
    private final FileContent files;

    /**
     * A reader of two files.
     *
     * @param userFile the file holding the user name
     * @param passwordFile the file holding its password
     * @param files reads one file as it is now
     */
    UserPasswordFiles(Path userFile, Path passwordFile, FileContent files) {
        this.userFile = userFile;
        this.passwordFile = passwordFile;
        this.files = files;
    }

    /**
     * Reads the pair as the two files hold it now.
     *
     * @return {@code user:password}, from two reads in a row that found the same user and the same password
     * @throws IOException when a file cannot be read, holds nothing, the user name holds a {@code ':'}
     *     ({@link ColonInUserName}), or the files kept changing ({@link FilesKeptChanging})
     */
    @Override
    public String read() throws IOException {
        String user = files.read(userFile);
        String password = files.read(passwordFile);
        for (int read = 2; read <= READS; read++) {
            String userAgain = files.read(userFile);
            String passwordAgain = files.read(passwordFile);
            if (userAgain.equals(user) && passwordAgain.equals(password)) {
                if (user.indexOf(':') >= 0) {
                    throw new ColonInUserName();
                }
                return user + ":" + password;
            }
            user = userAgain;
            password = passwordAgain;
        }
        throw new FilesKeptChanging();
    }

    /** Reads one file as it is now: the seam a test replaces. */
    @FunctionalInterface
    interface FileContent {
        /**
         * Reads a file.
         *
         * @param file the file
         * @return its content, trimmed, not empty
         * @throws IOException when it cannot be read or holds nothing
         */
        String read(Path file) throws IOException;
    }

    /** The two files never read the same twice in a row; the type's name is what the warning shows. */
    static final class FilesKeptChanging extends IOException {
        FilesKeptChanging() {
            super("the user and password files changed at each of " + READS + " reads");
        }
    }

    /** The user file holds a {@code ':'}, which would move the password's start; never says what it holds. */
    static final class ColonInUserName extends IOException {
        ColonInUserName() {
            super("the user file holds a ':'");
        }
    }
}
