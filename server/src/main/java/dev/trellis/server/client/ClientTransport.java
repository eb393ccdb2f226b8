package dev.trellis.server.client;

/** The connection behind a client, as the command layer sees it (no Netty types). */
public interface ClientTransport {
    /** Closes after pending replies are written (QUIT) or at once. */
    void close(boolean afterReplies);

    /** Bytes queued for this client and not yet written to the socket. */
    long pendingOutputBytes();

    /** Sends out what the reply buffer holds (used outside of request handling: pushes, unblocks). */
    void flushAsync();

    String remoteAddress();

    String localAddress();

    /** File descriptor number for CLIENT LIST, -1 if unknown. */
    int fd();

    boolean isUnixSocket();

    /** Stops executing further pipelined requests (the client is blocked or paused). */
    void pause();

    /** Resumes executing requests left in the query buffer. */
    void resume();

    /**
     * Resumes a client whose current request was postponed (CLIENT PAUSE): that request is
     * dispatched again first, then the rest of the query buffer.
     */
    default void resumePostponed() {
        resume();
    }

    /** Free bytes in the query buffer (CLIENT LIST qbuf-free). */
    default long queryBufferFree() {
        return 0;
    }

    /** Size of the reply buffer being filled (CLIENT LIST rbs). */
    default long replyBufferSize() {
        return 0;
    }
}
