package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/seed"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
)

// operatorTokenFile holds the generated operator token in the data dir.
const operatorTokenFile = "operator-token"

// clockAndIDs are the service's clock (--clock) and id generator (--deterministic-ids).
func clockAndIDs(cfg *config.Config) (domain.Clock, domain.IDs, error) {
	var clock domain.Clock = domain.SystemClock{}
	t, err := cfg.FixedTime()
	if err != nil {
		return nil, nil, err
	}
	if !t.IsZero() {
		clock = domain.NewFixedClock(t)
	}
	var ids domain.IDs = domain.CryptoIDs{}
	if cfg.DeterministicIDs != 0 {
		ids = domain.NewSeededIDs(cfg.DeterministicIDs)
	}
	return clock, ids, nil
}

// operatorAuth decides the operator token: OKAPI_OPERATOR_TOKEN when set (give every instance
// the same one); else the one all instances on the database share, whose SHA-256 the database
// holds (store.SettingOperatorTokenHash). The instance that makes it, or finds it in
// <data-dir>/operator-token from before the database held it, writes and keeps it in that file
// (mode 0600); the others accept it without knowing it, so token is empty for them. It is never
// an org's API token: it lives in no org.
func operatorAuth(ctx context.Context, cfg *config.Config, svc *service.Service, log *slog.Logger) (token string, hash []byte, err error) {
	if cfg.OperatorToken != "" {
		sum := sha256.Sum256([]byte(cfg.OperatorToken))
		return cfg.OperatorToken, sum[:], nil
	}
	path := filepath.Join(cfg.DataDir, operatorTokenFile)
	mine, err := readOperatorToken(path)
	if err != nil {
		return "", nil, err
	}
	candidate := mine
	if candidate == "" {
		buf := make([]byte, 24)
		if _, err := rand.Read(buf); err != nil {
			return "", nil, err
		}
		candidate = "okop_" + hex.EncodeToString(buf)
	}
	sum := sha256.Sum256([]byte(candidate))
	stored, err := svc.EnsureServerSetting(ctx, store.SettingOperatorTokenHash, func() (string, error) {
		return hex.EncodeToString(sum[:]), nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("operator token: %w", err)
	}
	hash, err = hex.DecodeString(stored)
	if err != nil || len(hash) != sha256.Size {
		return "", nil, fmt.Errorf("operator token: the database holds no SHA-256 (%q)", stored)
	}
	if subtle.ConstantTimeCompare(hash, sum[:]) == 1 {
		if mine == "" {
			if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
				return "", nil, err
			}
			if err := writeSecretFile(path, []byte(candidate)); err != nil { // no newline: sent as is
				return "", nil, fmt.Errorf("write operator token: %w", err)
			}
		}
		return candidate, hash, nil
	}
	if mine != "" {
		log.Warn("the operator token in the data dir is not the one this database accepts; use the one of the instance that made it, or set OKAPI_OPERATOR_TOKEN",
			"file", path)
	} else {
		log.Info("accepting the operator token another instance made: it is in that instance's data dir (operator-token)")
	}
	return "", hash, nil
}

// readOperatorToken returns the token in path, "" when there is no file.
func readOperatorToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if tok := strings.TrimSpace(string(b)); len(tok) >= 16 {
		return tok, nil
	}
	return "", fmt.Errorf("%s holds no usable operator token: delete it to have a new one made", path)
}

// certHosts are the names the generated certificate covers: loopback, and with --base-domain
// the base domain and every org host under it.
func certHosts(cfg *config.Config) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if cfg.BaseDomain != "" {
		hosts = append(hosts, cfg.BaseDomain, "*."+cfg.BaseDomain)
	}
	return hosts
}

// caCmd is `okapi ca export [--out FILE]`: the CA certificate clients should trust, made if
// there is none yet, so they can verify okapi's HTTPS instead of turning the check off. It is the
// CA of the database (--database), which every instance on it serves with.
func caCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		args = []string{"export", "-h"} // the only subcommand: show its flags
	}
	if len(args) == 0 || args[0] != "export" {
		return errors.New("usage: okapi ca export [--out FILE] [--data-dir DIR] [--database URL]")
	}
	var out string
	cfg, err := storeFlags("ca export", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write the CA certificate to (default: standard output)")
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, nil, nil, newLogger(stderr, "warn"))
	ca, _, err := ensureCA(cfg.DataDir, func(name string, newValue func() (string, error)) (string, error) {
		return svc.EnsureServerSetting(ctx, name, newValue)
	})
	if err != nil {
		return err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})
	if out == "" {
		_, err = stdout.Write(pemBytes)
		return err
	}
	return os.WriteFile(out, pemBytes, 0o644)
}

// loadStartSeed loads --seed into the default org once: when the org has no seed snapshot yet
// (its first start, or a start after a seed that failed). Later starts keep the org's data, so
// a persistent data dir is not reseeded over what tests did; reset it with the operator API
// (POST /okapi/v1/orgs/default/reset {"to": "seed"}) or start with an empty data dir. The file is
// parsed every time, so a broken seed never goes unnoticed.
func loadStartSeed(ctx context.Context, svc *service.Service, path string, log *slog.Logger) error {
	f, err := seed.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--seed: %w", err)
	}
	snaps, err := svc.ListSnapshots(ctx, domain.DefaultOrgName)
	if err != nil {
		return err
	}
	for _, sn := range snaps {
		if sn.Name == service.SeedSnapshot {
			log.Info("seed not loaded: the default org was seeded before", "seed", path, "seeded", sn.Created)
			return nil
		}
	}
	if err := seed.Load(ctx, svc, domain.DefaultOrgName, f); err != nil {
		return fmt.Errorf("--seed: %w", err)
	}
	log.Info("seed loaded into the default org", "seed", path, "users", len(f.Users), "groups", len(f.Groups), "apps", len(f.Apps))
	return nil
}
