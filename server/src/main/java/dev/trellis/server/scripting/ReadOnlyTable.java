package dev.trellis.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once locked, as the tables of Redis's patched Lua
 * interpreter marked read-only: library tables, the {@code redis} table and metatables reachable
 * from the globals, so one script cannot change what the next one sees.
 */
final class ReadOnlyTable extends LuaTable {
    static final String MESSAGE = "Attempt to modify a readonly table";
    private boolean locked;

    void lock() {
        locked = true;
    }

    boolean locked() {
        return locked;
    }

    private void check() {
        if (locked) {
            throw new LuaError(MESSAGE);
        }
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
