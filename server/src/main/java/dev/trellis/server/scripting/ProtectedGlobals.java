package dev.trellis.server.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * The globals of a scripting Lua state. While the libraries load they are writable; once
 * locked, assignments fail with "Attempt to modify a readonly table" and reading a name that
 * does not exist fails too (the metatable installed by {@link LuaSandbox}), as Redis's
 * protected globals. The engine opens them briefly to set KEYS and ARGV.
 */
final class ProtectedGlobals extends Globals {
    private boolean locked;

    void locked(boolean on) {
        locked = on;
    }

    boolean locked() {
        return locked;
    }

    private void check() {
        if (locked) {
            throw new LuaError(ReadOnlyTable.MESSAGE);
        }
    }

    /** Sets a global even while locked (KEYS, ARGV). */
    void force(String name, LuaValue value) {
        super.rawset(LuaValue.valueOf(name), value);
    }

    @Override
    public void set(int key, LuaValue value) {
        check();
        super.set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        check();
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        check();
        return super.setmetatable(metatable);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        check();
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        check();
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        check();
        super.sort(comparator);
    }
}
