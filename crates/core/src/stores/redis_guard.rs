//! The Redis command allowlist. In read-only mode only these commands may be sent; the check
//! happens in the backend, before a command reaches the connection.

use crate::error::{Error, Result};

/// Commands that read and never change data or server state.
const READ_COMMANDS: &[&str] = &[
    "BITCOUNT",
    "BITPOS",
    "CLUSTER",
    "COMMAND",
    "DBSIZE",
    "DUMP",
    "EXISTS",
    "EXPIRETIME",
    "GEODIST",
    "GEOHASH",
    "GEOPOS",
    "GEOSEARCH",
    "GET",
    "GETBIT",
    "GETRANGE",
    "HEXISTS",
    "HGET",
    "HGETALL",
    "HKEYS",
    "HLEN",
    "HMGET",
    "HRANDFIELD",
    "HSCAN",
    "HSTRLEN",
    "HVALS",
    "INFO",
    "LASTSAVE",
    "LINDEX",
    "LLEN",
    "LPOS",
    "LRANGE",
    "MEMORY",
    "MGET",
    "OBJECT",
    "PEXPIRETIME",
    "PFCOUNT",
    "PING",
    "PTTL",
    "PUBSUB",
    "RANDOMKEY",
    "SCAN",
    "SCARD",
    "SDIFF",
    "SINTER",
    "SINTERCARD",
    "SISMEMBER",
    "SMEMBERS",
    "SMISMEMBER",
    "SRANDMEMBER",
    "SSCAN",
    "STRLEN",
    "SUBSTR",
    "SUNION",
    "TIME",
    "TOUCH",
    "TTL",
    "TYPE",
    "XINFO",
    "XLEN",
    "XPENDING",
    "XRANGE",
    "XREAD",
    "XREVRANGE",
    "ZCARD",
    "ZCOUNT",
    "ZDIFF",
    "ZINTER",
    "ZINTERCARD",
    "ZLEXCOUNT",
    "ZMSCORE",
    "ZRANDMEMBER",
    "ZRANGE",
    "ZRANGEBYLEX",
    "ZRANGEBYSCORE",
    "ZRANK",
    "ZREVRANGE",
    "ZREVRANGEBYLEX",
    "ZREVRANGEBYSCORE",
    "ZREVRANK",
    "ZSCAN",
    "ZSCORE",
    "ZUNION",
];

/// Subcommands of container commands that are reads; the rest of those containers are refused.
const READ_SUBCOMMANDS: &[(&str, &[&str])] = &[
    (
        "CLUSTER",
        &[
            "INFO",
            "NODES",
            "SHARDS",
            "SLOTS",
            "KEYSLOT",
            "COUNTKEYSINSLOT",
            "MYID",
        ],
    ),
    ("COMMAND", &["COUNT", "DOCS", "INFO", "LIST", "GETKEYS"]),
    ("MEMORY", &["USAGE", "STATS", "DOCTOR"]),
    ("OBJECT", &["ENCODING", "FREQ", "IDLETIME", "REFCOUNT"]),
    (
        "PUBSUB",
        &[
            "CHANNELS",
            "NUMSUB",
            "NUMPAT",
            "SHARDCHANNELS",
            "SHARDNUMSUB",
        ],
    ),
    ("XINFO", &["STREAM", "GROUPS", "CONSUMERS"]),
];

/// Commands a backup sends that change no data: `BGSAVE` writes the server's own snapshot, and
/// `CONFIG GET` only for where that snapshot is (never for other settings: they hold passwords).
fn is_backup_command(name: &str, args: &[&[u8]]) -> bool {
    let arg = |i: usize| {
        args.get(i)
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
    };
    match name {
        "BGSAVE" => args.len() == 1,
        "CONFIG" => {
            args.len() == 3
                && arg(1).as_deref() == Some("get")
                && matches!(arg(2).as_deref(), Some("dir" | "dbfilename"))
        }
        _ => false,
    }
}

/// Refuses a command that is not a read. `args[0]` is the command name.
pub fn check_read_only(args: &[&[u8]]) -> Result<()> {
    let name = args
        .first()
        .map(|a| String::from_utf8_lossy(a).to_ascii_uppercase())
        .ok_or_else(|| Error::InvalidInput("empty Redis command".into()))?;
    if is_backup_command(&name, args) {
        return Ok(());
    }
    if !READ_COMMANDS.contains(&name.as_str()) {
        return Err(Error::ReadOnly(format!(
            "Redis command {name} is not allowed in read-only mode"
        )));
    }
    if let Some((_, subs)) = READ_SUBCOMMANDS.iter().find(|(c, _)| *c == name) {
        let sub = args
            .get(1)
            .map(|a| String::from_utf8_lossy(a).to_ascii_uppercase());
        match sub {
            Some(s) if subs.contains(&s.as_str()) => {}
            other => {
                return Err(Error::ReadOnly(format!(
                    "Redis command {name} {} is not allowed in read-only mode",
                    other.unwrap_or_default()
                )))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cmd: &str, allowed: bool) {
        let parts: Vec<&[u8]> = cmd.split(' ').map(str::as_bytes).collect();
        assert_eq!(check_read_only(&parts).is_ok(), allowed, "{cmd}");
    }

    #[test]
    fn allows_reads_and_refuses_writes() {
        check("GET k", true);
        check("get k", true);
        check("SCAN 0 MATCH tenant:* COUNT 1000", true);
        check("MEMORY USAGE k", true);
        check("XINFO GROUPS s", true);
        check("SET k v", false);
        check("DEL k", false);
        check("FLUSHALL", false);
        check("CONFIG SET dir /", false);
        check("MEMORY PURGE", false);
        check("CLUSTER RESET", false);
        check("EVAL return 1 0", false);
        check("XGROUP CREATE s g $", false);
        check("SHUTDOWN", false);
        check("BGSAVE", true);
        check("BGSAVE SCHEDULE", false);
        check("CONFIG GET dir", true);
        check("config get DBFILENAME", true);
        check("CONFIG GET requirepass", false);
        check("CONFIG GET *", false);
        check("CONFIG GET dir requirepass", false);
    }
}
