package org.matchhub.services;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded with Bolt on 127.0.0.1, for local development and integration
 * tests. Started and stopped by services/neo4j.sh, which owns the PID file; SIGTERM shuts the
 * DBMS down cleanly through the shutdown hook.
 *
 * <p>Usage: {@code Neo4jLauncher --home DIR --bolt-port N --password-file FILE [--plugins DIR]}.
 * The password is read from a file so it never shows in the process list.
 *
 * <p>Prints {@value #READY_LINE} followed by the Bolt URI once Bolt accepts connections; the
 * start script waits for that line.
 */
public final class Neo4jLauncher {
    static final String READY_LINE = "MATCHHUB_NEO4J_READY";
    private static final String LOOPBACK = "127.0.0.1";
    private static final String PASSWORD_MARKER = "matchhub-password.sha256";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseOptions(args);
        Path home = Path.of(required(options, "--home")).toAbsolutePath();
        int boltPort = Integer.parseInt(required(options, "--bolt-port"));
        String password = Files.readString(Path.of(required(options, "--password-file"))).strip();
        Path plugins = options.containsKey("--plugins") ? Path.of(options.get("--plugins")).toAbsolutePath() : null;
        if (password.length() < 8) {
            fail("the password in " + options.get("--password-file") + " is shorter than 8 characters, Neo4j's minimum");
        }

        Files.createDirectories(home);
        setPasswordIfChanged(home, password);

        DatabaseManagementService dbms = builder(home, plugins)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, boltPort))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "matchhub-neo4j-shutdown"));
        // Touch the default database so "ready" means queries succeed, not only that the port is open.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println(READY_LINE + " bolt://" + LOOPBACK + ":" + boltPort);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementServiceBuilder builder(Path home, Path plugins) {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                // A development/test instance: a small page cache keeps idle memory modest.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files");
        if (plugins != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        }
        return builder;
    }

    /**
     * Sets the neo4j user's password while Bolt is still off, so no client ever sees the default
     * password. Skipped when the stored digest shows the password is already current, because it
     * costs a full DBMS start and stop.
     */
    private static void setPasswordIfChanged(Path home, String password) throws IOException {
        Path marker = home.resolve(PASSWORD_MARKER);
        String digest = sha256(password);
        if (Files.exists(marker) && Files.readString(marker).strip().equals(digest)) {
            return;
        }
        DatabaseManagementService setup = builder(home, null).setConfig(BoltConnector.enabled, false).build();
        try {
            setup.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } finally {
            setup.shutdown();
        }
        Files.writeString(marker, digest + "\n");
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseOptions(String[] args) {
        if (args.length % 2 != 0) {
            fail("expected --name value pairs, got: " + String.join(" ", args));
        }
        java.util.HashMap<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            fail("missing option " + name);
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("neo4j launcher: " + message);
        System.exit(2);
    }
}
