package dev.ipv6lifecycle.server.persistence;

import java.nio.file.Path;

class DataDirectoryInUseException extends RuntimeException {

    private final Path dataDir;

    DataDirectoryInUseException(Path dataDir) {
        super("The data directory " + dataDir + " is in use by another running instance of the service");
        this.dataDir = dataDir;
    }

    Path dataDir() {
        return dataDir;
    }
}
