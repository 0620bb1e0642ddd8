package app

import (
	"context"
	"crypto/rand"
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

// operatorToken is OKAPI_OPERATOR_TOKEN, else the one in <data-dir>/operator-token, else a new
// one written there (mode 0600). It is never an org's API token: it lives in no org.
func operatorToken(cfg *config.Config) (string, error) {
	if cfg.OperatorToken != "" {
		return cfg.OperatorToken, nil
	}
	path := filepath.Join(cfg.DataDir, operatorTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		if tok := strings.TrimSpace(string(b)); len(tok) >= 16 {
			return tok, nil
		}
		return "", fmt.Errorf("%s holds no usable operator token: delete it to have a new one made", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	tok := "okop_" + hex.EncodeToString(buf)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", err
	}
	if err := writeSecretFile(path, []byte(tok)); err != nil { // no newline: sent as is
		return "", fmt.Errorf("write operator token: %w", err)
	}
	return tok, nil
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
// there is none yet, so they can verify okapi's HTTPS instead of turning the check off.
func caCmd(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		args = []string{"export", "-h"} // the only subcommand: show its flags
	}
	if len(args) == 0 || args[0] != "export" {
		return errors.New("usage: okapi ca export [--out FILE] [--data-dir DIR]")
	}
	var out string
	cfg := &config.Config{}
	err := parseFlags("ca export", args[1:], stderr, func(fs *flag.FlagSet) {
		cfg.DataDirFlag(fs, getenv)
		fs.StringVar(&out, "out", "", "file to write the CA certificate to (default: standard output)")
	})
	if err != nil {
		return err
	}
	ca, _, err := ensureCA(cfg.DataDir)
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
	log.Info("seed loaded into the default org", "seed", path, "users", len(f.Users), "groups", len(f.Groups))
	return nil
}
