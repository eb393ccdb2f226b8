package dev.trellis.server.commands.zset;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** The sorted-set commands (the blocking BZ* variants live with the other blocking commands). */
public final class ZSetCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("zadd", ZAddCommand::zadd);
        t.bind("zincrby", ZAddCommand::zincrby);
        t.bind("zrem", ZRemCommands::zrem);
        t.bind("zremrangebyrank", ZRemCommands::zremrangebyrank);
        t.bind("zremrangebyscore", ZRemCommands::zremrangebyscore);
        t.bind("zremrangebylex", ZRemCommands::zremrangebylex);
        t.bind("zcard", ZReadCommands::zcard);
        t.bind("zscore", ZReadCommands::zscore);
        t.bind("zmscore", ZReadCommands::zmscore);
        t.bind("zrank", c -> ZReadCommands.zrank(c, false));
        t.bind("zrevrank", c -> ZReadCommands.zrank(c, true));
        t.bind("zcount", ZReadCommands::zcount);
        t.bind("zlexcount", ZReadCommands::zlexcount);
        t.bind("zrange", ZRangeCommand::zrange);
        t.bind("zrangestore", ZRangeCommand::zrangestore);
        t.bind("zrevrange", ZRangeCommand::zrevrange);
        t.bind("zrangebyscore", ZRangeCommand::zrangebyscore);
        t.bind("zrevrangebyscore", ZRangeCommand::zrevrangebyscore);
        t.bind("zrangebylex", ZRangeCommand::zrangebylex);
        t.bind("zrevrangebylex", ZRangeCommand::zrevrangebylex);
        t.bind("zunion", c -> ZSetOpCommand.execute(c, null, 1, ZSetOpCommand.Op.UNION, false));
        t.bind("zinter", c -> ZSetOpCommand.execute(c, null, 1, ZSetOpCommand.Op.INTER, false));
        t.bind("zdiff", c -> ZSetOpCommand.execute(c, null, 1, ZSetOpCommand.Op.DIFF, false));
        t.bind("zintercard", c -> ZSetOpCommand.execute(c, null, 1, ZSetOpCommand.Op.INTER, true));
        t.bind("zunionstore", c -> ZSetOpCommand.execute(c, c.arg(1), 2, ZSetOpCommand.Op.UNION, false));
        t.bind("zinterstore", c -> ZSetOpCommand.execute(c, c.arg(1), 2, ZSetOpCommand.Op.INTER, false));
        t.bind("zdiffstore", c -> ZSetOpCommand.execute(c, c.arg(1), 2, ZSetOpCommand.Op.DIFF, false));
        t.bind("zrandmember", ZRandMemberCommand::execute);
        t.bind("zpopmin", ZPopCommands::zpopmin);
        t.bind("zpopmax", ZPopCommands::zpopmax);
        t.bind("zmpop", ZPopCommands::zmpop);
        t.bind("zscan", ZScanCommand::execute);
    }
}
