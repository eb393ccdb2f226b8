package dev.trellis.server.resp;

/** A malformed request frame. Redis replies with the message and closes the connection. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
