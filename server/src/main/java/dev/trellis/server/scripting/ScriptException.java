package dev.trellis.server.scripting;

/** An error to reply as is (it starts with its code), raised while preparing or loading a script. */
final class ScriptException extends RuntimeException {
    ScriptException(String message) {
        super(message, null, false, false);
    }
}
