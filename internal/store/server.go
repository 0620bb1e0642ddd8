package store

import "context"

// Server settings are what every okapi instance on one database shares and no org owns: the
// operator token's hash and the local CA that signs the generated TLS certificates. Their rows
// carry no org id, so deleting, resetting or restoring an org never touches them.
const (
	// SettingOperatorTokenHash is the hex SHA-256 of the operator token.
	SettingOperatorTokenHash = "operator_token_sha256"
	// SettingLocalCA is the local CA's certificate and private key, PEM.
	SettingLocalCA = "local_ca_pem"
	// SettingAdminGroupsBackfilled records that every org of the database has been given the
	// Okta Administrators group (service.EnsureAdminGroups), so starts need not look again.
	SettingAdminGroupsBackfilled = "admin_groups_backfilled"
)

// ServerSettingReader reads server settings.
type ServerSettingReader interface {
	// ServerSetting returns the value stored under name, or domain.ErrNotFound.
	ServerSetting(ctx context.Context, name string) (string, error)
}

// ServerSettingWriter writes server settings. They are written once, by the first instance
// that needs one, and never changed: CreateServerSetting on a taken name is a
// *ConflictError{"name"}, and the loser reads the winner's value.
type ServerSettingWriter interface {
	CreateServerSetting(ctx context.Context, name, value string) error
}
