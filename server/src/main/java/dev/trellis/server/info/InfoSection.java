package dev.trellis.server.info;

/** Writes the fields of one INFO section (without its "# Title" line). */
@FunctionalInterface
public interface InfoSection {
    void write(InfoOutput out);
}
