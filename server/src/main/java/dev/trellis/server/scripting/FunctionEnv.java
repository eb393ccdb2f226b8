package dev.trellis.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The globals function libraries are compiled with: an empty read-only table whose lookups go
 * to the load API ({@code redis.register_function}, log, version) while FUNCTION LOAD runs the
 * library, and to the full scripting globals when its functions are called, as Redis switches
 * the __index of its function globals.
 */
final class FunctionEnv extends LuaTable {
    private LuaValue target;

    void target(LuaValue t) {
        target = t;
    }

    @Override
    public LuaValue get(LuaValue key) {
        return target.get(key);
    }

    @Override
    public LuaValue get(int key) {
        return target.get(key);
    }

    @Override
    public void set(int key, LuaValue value) {
        throw new LuaError(ReadOnlyTable.MESSAGE);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        throw new LuaError(ReadOnlyTable.MESSAGE);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        throw new LuaError(ReadOnlyTable.MESSAGE);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        throw new LuaError(ReadOnlyTable.MESSAGE);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        throw new LuaError(ReadOnlyTable.MESSAGE);
    }
}
