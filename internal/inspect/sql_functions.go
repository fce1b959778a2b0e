package inspect

// sideEffect describes a function or procedure that acts even inside a
// SELECT. bare means the name acts without parentheses too (SQL Server
// runs "xp_cmdshell 'dir'" as a statement).
type sideEffect struct {
	tier   Tier
	reason string
	bare   bool
	runs   bool // executes SQL given as a string argument, which is inspected too
}

// sideEffects, keyed by upper-case name. The choices:
//   - Killing sessions, writing or deleting server files, running shell
//     commands, loading native code: destructive.
//   - Reading server files (pg_read_file, load_file, lo_import) has no side
//     effect on data but crosses from the database to the host, so it is a
//     write: a person should see it before it happens.
//   - Sequences (nextval, setval), locks, session settings and sleeps change
//     shared state or hold resources (a long sleep is a denial of service):
//     write.
//   - Functions that execute SQL text (dblink, query_to_xml) get the tier of
//     that text, and at least write when they run remote or dynamic SQL.
var sideEffects = map[string]sideEffect{
	"PG_TERMINATE_BACKEND":       {tier: Destructive, reason: "pg_terminate_backend (kills a session)"},
	"PG_CANCEL_BACKEND":          {tier: Destructive, reason: "pg_cancel_backend (cancels a query)"},
	"PG_PROMOTE":                 {tier: Destructive, reason: "pg_promote (fails over the server)"},
	"PG_DROP_REPLICATION_SLOT":   {tier: Destructive, reason: "pg_drop_replication_slot"},
	"PG_FILE_WRITE":              {tier: Destructive, reason: "pg_file_write (writes a server file)"},
	"PG_FILE_UNLINK":             {tier: Destructive, reason: "pg_file_unlink (deletes a server file)"},
	"PG_FILE_RENAME":             {tier: Destructive, reason: "pg_file_rename (moves a server file)"},
	"LO_EXPORT":                  {tier: Destructive, reason: "lo_export (writes a server file)"},
	"LO_UNLINK":                  {tier: Destructive, reason: "lo_unlink (deletes a large object)"},
	"XP_CMDSHELL":                {tier: Destructive, reason: "xp_cmdshell (runs a shell command)", bare: true},
	"SP_OACREATE":                {tier: Destructive, reason: "sp_OACreate (runs COM objects)", bare: true},
	"SP_OAMETHOD":                {tier: Destructive, reason: "sp_OAMethod (runs COM objects)", bare: true},
	"XP_REGWRITE":                {tier: Destructive, reason: "xp_regwrite (writes the registry)", bare: true},
	"SP_CONFIGURE":               {tier: Destructive, reason: "sp_configure (changes server settings)", bare: true},
	"SP_ADDSRVROLEMEMBER":        {tier: Destructive, reason: "sp_addsrvrolemember (permission change)", bare: true},
	"SP_ADDLOGIN":                {tier: Destructive, reason: "sp_addlogin (permission change)", bare: true},
	"SP_EXECUTESQL":              {tier: Write, reason: "sp_executesql (dynamic SQL)", bare: true, runs: true},
	"SYS_EXEC":                   {tier: Destructive, reason: "sys_exec (runs a shell command)"},
	"SYS_EVAL":                   {tier: Destructive, reason: "sys_eval (runs a shell command)"},
	"LOAD_EXTENSION":             {tier: Destructive, reason: "load_extension (loads native code)"},
	"WRITEFILE":                  {tier: Destructive, reason: "writefile (writes a file)"},
	"PG_READ_FILE":               {tier: Write, reason: "pg_read_file (reads a server file)"},
	"PG_READ_BINARY_FILE":        {tier: Write, reason: "pg_read_binary_file (reads a server file)"},
	"PG_LS_DIR":                  {tier: Write, reason: "pg_ls_dir (lists server files)"},
	"LO_IMPORT":                  {tier: Write, reason: "lo_import (reads a server file into the database)"},
	"LO_CREATE":                  {tier: Write, reason: "lo_create"},
	"LO_FROM_BYTEA":              {tier: Write, reason: "lo_from_bytea"},
	"LO_PUT":                     {tier: Write, reason: "lo_put"},
	"LOAD_FILE":                  {tier: Write, reason: "load_file (reads a server file)"},
	"READFILE":                   {tier: Write, reason: "readfile (reads a file)"},
	"EDIT":                       {tier: Write, reason: "edit (opens an editor)"},
	"PG_RELOAD_CONF":             {tier: Write, reason: "pg_reload_conf (reloads server settings)"},
	"PG_ROTATE_LOGFILE":          {tier: Write, reason: "pg_rotate_logfile"},
	"PG_SWITCH_WAL":              {tier: Write, reason: "pg_switch_wal"},
	"PG_CREATE_RESTORE_POINT":    {tier: Write, reason: "pg_create_restore_point"},
	"PG_STAT_RESET":              {tier: Write, reason: "pg_stat_reset (clears statistics)"},
	"PG_LOGICAL_EMIT_MESSAGE":    {tier: Write, reason: "pg_logical_emit_message"},
	"SET_CONFIG":                 {tier: Write, reason: "set_config (changes a setting)"},
	"NEXTVAL":                    {tier: Write, reason: "nextval (advances a sequence)"},
	"SETVAL":                     {tier: Write, reason: "setval (sets a sequence)"},
	"PG_ADVISORY_LOCK":           {tier: Write, reason: "pg_advisory_lock (takes a lock)"},
	"PG_ADVISORY_XACT_LOCK":      {tier: Write, reason: "pg_advisory_xact_lock (takes a lock)"},
	"PG_TRY_ADVISORY_LOCK":       {tier: Write, reason: "pg_try_advisory_lock (takes a lock)"},
	"PG_ADVISORY_LOCK_SHARED":    {tier: Write, reason: "pg_advisory_lock_shared (takes a lock)"},
	"GET_LOCK":                   {tier: Write, reason: "get_lock (takes a lock)"},
	"RELEASE_LOCK":               {tier: Write, reason: "release_lock"},
	"PG_SLEEP":                   {tier: Write, reason: "pg_sleep (stalls the connection)"},
	"PG_SLEEP_FOR":               {tier: Write, reason: "pg_sleep_for (stalls the connection)"},
	"PG_SLEEP_UNTIL":             {tier: Write, reason: "pg_sleep_until (stalls the connection)"},
	"SLEEP":                      {tier: Write, reason: "sleep (stalls the connection)"},
	"BENCHMARK":                  {tier: Write, reason: "benchmark (burns server time)"},
	"OPENROWSET":                 {tier: Write, reason: "OPENROWSET (reads external data)"},
	"OPENDATASOURCE":             {tier: Write, reason: "OPENDATASOURCE (reads external data)"},
	"OPENQUERY":                  {tier: Write, reason: "OPENQUERY (runs a remote query)", runs: true},
	"XP_DIRTREE":                 {tier: Write, reason: "xp_dirtree (reaches the file system)", bare: true},
	"DBLINK_EXEC":                {tier: Write, reason: "dblink_exec (runs SQL on another server)", runs: true},
	"DBLINK":                     {tier: Read, runs: true},
	"DBLINK_SEND_QUERY":          {tier: Write, reason: "dblink_send_query (runs SQL on another server)", runs: true},
	"QUERY_TO_XML":               {tier: Read, runs: true},
	"QUERY_TO_XML_AND_XMLSCHEMA": {tier: Read, runs: true},
	"QUERY_TO_XMLSCHEMA":         {tier: Read, runs: true},
}

// functions checks every call in the statement against sideEffects.
func (a *sqlAnalysis) functions(s *stmt) {
	for i, t := range s.toks {
		if t.kind != tWord {
			continue
		}
		se, ok := sideEffects[t.up]
		if !ok {
			continue
		}
		call := i+1 < len(s.toks) && s.toks[i+1].punct("(")
		if !call && !se.bare {
			continue
		}
		if se.reason != "" {
			a.c.add(se.tier, "SQL: "+se.reason)
		}
		if se.runs {
			from, to := i+1, len(s.toks)
			if call {
				from, to = i+2, s.close[i+1]
			}
			// Connection names and options sit beside the query: only text
			// that reads as SQL is inspected.
			a.stringsWhere(s, from, to, looksLikeSQL)
		}
	}
}
