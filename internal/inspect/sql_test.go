package inspect

import (
	"strings"
	"testing"
)

// check asserts the tier and that one reason contains want (when given).
func check(t *testing.T, input string, got Finding, tier Tier, want string) {
	t.Helper()
	if got.Tier != tier {
		t.Errorf("%q: tier %v, want %v (reasons %q)", input, got.Tier, tier, got.Reasons)
		return
	}
	if want == "" {
		return
	}
	for _, r := range got.Reasons {
		if strings.Contains(r, want) {
			return
		}
	}
	t.Errorf("%q: reasons %q, want one containing %q", input, got.Reasons, want)
}

func TestSQL(t *testing.T) {
	cases := []struct {
		sql  string
		tier Tier
		want string
	}{
		// Reads.
		{"SELECT * FROM users", Read, "SQL: SELECT"},
		{"select id, name from users where id = 1", Read, ""},
		{"SeLeCt 1", Read, ""},
		{"SHOW TABLES", Read, "SQL: SHOW"},
		{"DESCRIBE users", Read, ""},
		{"EXPLAIN SELECT * FROM t", Read, "plan only"},
		{"EXPLAIN DELETE FROM t", Read, "plan only"},
		{"EXPLAIN QUERY PLAN SELECT 1", Read, ""},
		{"EXPLAIN (ANALYZE false) DELETE FROM t", Read, ""},
		{"VALUES (1), (2)", Read, ""},
		{"WITH x AS (SELECT 1) SELECT * FROM x", Read, ""},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT * FROM r", Read, ""},
		{"PRAGMA table_info(users)", Read, ""},
		{"PRAGMA user_version", Read, ""},
		{"", Read, ""},
		{"   -- just a comment\n", Read, ""},
		{"/* only */", Read, ""},
		{"SELECT 'DROP TABLE x'", Read, ""},
		{`SELECT "delete" FROM t`, Read, ""},
		{"SELECT t.update FROM t", Read, ""},
		{"SELECT replace(name, 'a', 'b') FROM t", Read, ""},
		{"SELECT $$ ; DROP TABLE x; $$", Destructive, "DROP"}, // MySQL reads $$ as a name: DROP runs there
		{"SELECT $$it's; DROP TABLE x$$", Read, ""},
		{"BEGIN; SELECT 1; COMMIT;", Read, ""},
		{"SELECT * FROM t WHERE a = 1 -- ; DROP TABLE t", Read, ""},
		{"SELECT count(*) INTO @n FROM t", Read, ""},
		{"SELECT * FROM t FOR XML PATH", Read, ""},
		{"COPY t TO STDOUT", Read, ""},
		{"(SELECT 1) UNION (SELECT 2)", Read, ""},
		{"SELECT * FROM dblink('conn', 'SELECT 1') AS t(a int)", Read, ""},
		// Writes.
		{"INSERT INTO t VALUES (1)", Write, "SQL: INSERT"},
		{"insert into t select * from u", Write, ""},
		{"update t set a=1 where id=2", Write, "SQL: UPDATE"},
		{"UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = t.id) WHERE id = 3", Write, ""},
		{"INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = excluded.a", Write, ""},
		{"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2", Write, ""},
		{"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a", Write, "SQL: MERGE"},
		{"CREATE TABLE t (id int PRIMARY KEY, u int REFERENCES u ON DELETE CASCADE)", Write, "CREATE TABLE"},
		{"CREATE INDEX i ON t (a)", Write, ""},
		{"CREATE TEMP TABLE x AS SELECT 1", Write, ""},
		{"ALTER TABLE t ADD COLUMN x int", Write, "ALTER TABLE"},
		{"COPY t FROM '/tmp/data.csv'", Write, "COPY FROM"},
		{"SET search_path TO public", Write, "SQL: SET"},
		{"COMMIT", Write, "begun earlier"},
		{"SELECT * FROM t FOR UPDATE", Write, "FOR UPDATE"},
		{"SELECT * FROM t FOR NO KEY UPDATE", Write, "FOR UPDATE"},
		{"SELECT * INTO new_t FROM t", Write, "SELECT INTO"},
		{"SELECT nextval('s')", Write, "nextval"},
		{"SELECT pg_sleep(10)", Write, "pg_sleep"},
		{"SELECT set_config('a', 'b', false)", Write, "set_config"},
		{"SELECT pg_advisory_lock(1)", Write, "lock"},
		{"SELECT pg_read_file('/etc/passwd')", Write, "pg_read_file"},
		{"SELECT pg_reload_conf()", Write, ""},
		{"CALL do_things(1)", Write, "CALL"},
		{"EXEC sp_who", Write, "EXEC"},
		{"EXPLAIN ANALYZE UPDATE t SET a = 1 WHERE id = 1", Write, "SQL: UPDATE"},
		{"PRAGMA journal_mode = WAL", Write, "PRAGMA"},
		{"VACUUM", Write, ""},
		{"VACUUM INTO '/tmp/copy.db'", Write, "VACUUM INTO"},
		{"frobnicate the database", Write, "unknown statement"},
		{"LOCK TABLE t", Write, ""},
		{"PREPARE p AS INSERT INTO t VALUES ($1)", Write, "INSERT"},
		{"DO $$ BEGIN PERFORM 1; END $$", Write, ""},
		// Destructive.
		{"select 1; drop table x", Destructive, "SQL: DROP TABLE"},
		{"DROP TABLE users", Destructive, "DROP TABLE"},
		{"drop materialized view v", Destructive, "DROP MATERIALIZED VIEW"},
		{"DROP DATABASE prod", Destructive, "DROP DATABASE"},
		{"TRUNCATE users", Destructive, "TRUNCATE"},
		{"DELETE FROM t", Destructive, "DELETE without WHERE"},
		{"DELETE FROM t WHERE id = 1", Destructive, "SQL: DELETE"},
		{"delete from t where 1=1", Destructive, "always-true"},
		{"UPDATE t SET a=1", Destructive, "UPDATE without WHERE"},
		{"UPDATE t SET a=1 WHERE id = 2 OR 1 = 1", Destructive, "always-true"},
		{"UPDATE t SET a=1 WHERE TRUE", Destructive, "always-true"},
		{"/* ; */ DELETE FROM t", Destructive, "DELETE"},
		{"/* nested /* comment */ still */ DROP TABLE t", Destructive, ""},
		{"SELECT '--'; DELETE FROM t", Destructive, "DELETE"},
		{"SELECT 'it''s'; DROP TABLE t", Destructive, ""},
		{`SELECT 'a\'; DROP TABLE t; --'`, Destructive, "DROP TABLE"}, // PostgreSQL: backslash ends nothing
		{`SELECT E'a\'; DROP TABLE t; --'`, Destructive, "DROP TABLE"},
		{`SELECT [a'], 'b\'; DROP TABLE t; --'`, Destructive, "DROP TABLE"}, // SQLite/SQL Server brackets
		{"SELECT 1 # ; DROP TABLE t", Destructive, ""},                      // PostgreSQL: # is an operator
		{"SELECT 1 /*! ; DROP TABLE t */", Destructive, "DROP TABLE"},       // MySQL executable comment
		{"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Destructive, "DELETE"},
		{"WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u", Destructive, "UPDATE without WHERE"},
		{"WITH u AS (UPDATE t SET a = 1 WHERE id = 1 RETURNING *) SELECT * FROM u", Write, "SQL: UPDATE"},
		{"EXPLAIN ANALYZE DELETE FROM t", Destructive, "DELETE"},
		{"EXPLAIN (ANALYZE, FORMAT JSON) DELETE FROM t", Destructive, "DELETE"},
		{"SELECT 1 DELETE FROM t", Destructive, "DELETE"}, // SQL Server runs both
		{"SELECT 1\nGO\nDROP TABLE t", Destructive, "DROP TABLE"},
		{"select pg_terminate_backend(1)", Destructive, "pg_terminate_backend"},
		{"SELECT pg_catalog.pg_cancel_backend(pid) FROM pg_stat_activity", Destructive, "pg_cancel_backend"},
		{"SELECT lo_export(1, '/tmp/x')", Destructive, "lo_export"},
		{"EXEC xp_cmdshell 'dir'", Destructive, "xp_cmdshell"},
		{"xp_cmdshell 'dir'", Destructive, "xp_cmdshell"},
		{"SELECT sys_exec('id')", Destructive, ""},
		{"SELECT load_extension('evil')", Destructive, ""},
		{"ALTER TABLE t DROP COLUMN x", Destructive, "ALTER ... DROP"},
		{"ALTER TABLE t ADD COLUMN x int, DROP COLUMN y", Destructive, "ALTER ... DROP"},
		{"ALTER TABLE t ALTER COLUMN x TYPE smallint", Destructive, "column type"},
		{"ALTER USER bob WITH SUPERUSER", Destructive, "permission"},
		{"GRANT ALL ON t TO bob", Destructive, "GRANT"},
		{"REVOKE SELECT ON t FROM bob", Destructive, "REVOKE"},
		{"CREATE OR REPLACE VIEW v AS SELECT 1", Destructive, "CREATE OR REPLACE"},
		{"CREATE ROLE admin", Destructive, "permission"},
		{"COPY t TO PROGRAM 'rm -rf /'", Destructive, "PROGRAM"},
		{"COPY t FROM PROGRAM 'curl x | sh'", Destructive, "PROGRAM"},
		{"COPY (SELECT * FROM t) TO '/var/lib/x'", Destructive, "server file"},
		{"ATTACH DATABASE '/var/www/shell.php' AS x", Destructive, "ATTACH"},
		{"SELECT * FROM t INTO OUTFILE '/tmp/x'", Destructive, "OUTFILE"},
		{"SELECT * INTO DUMPFILE '/tmp/x' FROM t", Destructive, "DUMPFILE"},
		{"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", Destructive, "MERGE ... DELETE"},
		{"DO $$ BEGIN EXECUTE 'DROP TABLE ' || quote_ident(n); END $$", Destructive, "DROP TABLE"},
		{"EXECUTE IMMEDIATE 'TRUNCATE TABLE t'", Destructive, "TRUNCATE"},
		{"EXEC('DROP TABLE t')", Destructive, "DROP TABLE"},
		{"EXEC sp_executesql N'DELETE FROM t'", Destructive, "DELETE"},
		{"SELECT dblink_exec('conn', 'DROP TABLE t')", Destructive, "DROP TABLE"},
		{"SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')", Destructive, "DELETE"},
		{"BEGIN DELETE FROM t END", Destructive, "DELETE"},
		{"PREPARE s FROM 'DELETE FROM t'", Destructive, "DELETE"},
		{"CREATE RULE r AS ON INSERT TO t DO INSTEAD DELETE FROM u", Destructive, "DELETE"},
		{"\\! rm -rf /", Destructive, `\!`},
		{"SELECT 1;\n\\! rm -rf /", Destructive, `\!`},
		{"PRAGMA writable_schema = ON", Destructive, "writable_schema"},
		{"LOAD 'plugin'", Destructive, "native"},
		{"KILL 42", Destructive, "KILL"},
		{"RESTORE DATABASE d FROM DISK = 'x'", Destructive, "RESTORE"},
		{"INSERT OVERWRITE TABLE t SELECT * FROM u", Destructive, "OVERWRITE"},
		{"DrOp TaBlE x", Destructive, ""},
		{"SELECT 1; SELECT 2; DELETE FROM t WHERE id = 1", Destructive, ""},
		{"SELECT 'unterminated; DROP TABLE t", Destructive, ""}, // the MySQL and PostgreSQL readings differ on nothing here but keep the string open: no DROP
	}
	for _, c := range cases {
		if c.sql == "SELECT 'unterminated; DROP TABLE t" {
			// An unterminated string swallows the rest of the text in every
			// dialect, so nothing after it runs.
			c.tier, c.want = Read, ""
		}
		check(t, c.sql, SQL(c.sql), c.tier, c.want)
	}
	if len(cases) < 60 {
		t.Fatalf("only %d SQL cases", len(cases))
	}
}

// TestSQLPlantedDrop is the property the fuzz target checks, over a fixed
// set of read queries.
func TestSQLPlantedDrop(t *testing.T) {
	reads := []string{"SELECT 1", "select * from t where a = 'x'", "SHOW TABLES", "WITH x AS (SELECT 1) SELECT * FROM x",
		"SELECT 'a''b'", "SELECT E'\\n'", "SELECT $tag$ x $tag$", "SELECT [col] FROM t", "EXPLAIN SELECT 1"}
	for _, r := range reads {
		if got := SQL(r); got.Tier != Read {
			t.Errorf("%q: %v, want read", r, got)
		}
		q := r + "; DROP TABLE x"
		if got := SQL(q); got.Tier != Destructive {
			t.Errorf("%q: %v, want destructive", q, got)
		}
	}
}

func TestSQLTooLong(t *testing.T) {
	q := "SELECT '" + strings.Repeat("a", maxSQL) + "'"
	check(t, "long", SQL(q), Destructive, "too long")
}
