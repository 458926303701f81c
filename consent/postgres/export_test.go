package postgres

import "context"

// ExecOn runs sql on a connection of r, bypassing its read-only methods.
func ExecOn(r *Reader, sql string) error {
	_, err := r.db.ExecContext(context.Background(), sql)
	return err
}
