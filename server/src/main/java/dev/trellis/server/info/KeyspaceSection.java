package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.keyspace.Database;

/** INFO keyspace: one line per non-empty database. */
final class KeyspaceSection implements InfoSection {
    private final Server server;

    KeyspaceSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < server.keyspace().databases(); i++) {
            Database db = server.keyspace().db(i);
            if (db.size() > 0 || db.volatileSize() > 0) {
                out.line("db" + i + ":keys=" + db.size() + ",expires=" + db.volatileSize()
                        + ",avg_ttl=" + db.averageTtl(now));
            }
        }
    }
}
