package server

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
)

// storedIdentity is a development identity as kept in the store's settings:
// DER certificates and a PKCS#8 key.
type storedIdentity struct {
	Certificate []byte   `json:"certificate"`
	Chain       [][]byte `json:"chain"`
	Key         []byte   `json:"key"`
	CA          []byte   `json:"ca"`
}

// DevelopmentIdentity returns the development identity for passTypeID and
// teamID kept in the store's settings, generating and storing it the first
// time. Every instance on one store, and every restart, gets the same
// identity, so the passes of a development service keep one signer. Wallet
// does not accept passes signed with it (see sign.DevelopmentIdentity).
//
// The identity's private key is stored in clear in the store: use it for
// development and tests only.
func DevelopmentIdentity(ctx context.Context, store webservice.Store, passTypeID, teamID string) (*sign.DevelopmentIdentity, error) {
	if store == nil {
		return nil, errors.New("server: development identity: no store")
	}
	// A development certificate lasts a year. One that ends within
	// sign.ExpiryWindow is followed by a new one kept under a key named
	// after it, so that every instance moves to the same successor.
	key := "server/development-identity/" + passTypeID + "/" + teamID
	for range 64 {
		dev, err := storedDevelopmentIdentity(ctx, store, key, passTypeID, teamID)
		if err != nil {
			return nil, err
		}
		if time.Until(dev.Certificate.NotAfter) > sign.ExpiryWindow {
			return dev, nil
		}
		key = "server/development-identity/" + passTypeID + "/" + teamID + "/after/" + dev.Certificate.SerialNumber.Text(16)
	}
	return nil, errors.New("server: development identity: too many expired identities in the store")
}

// storedDevelopmentIdentity returns the identity stored under key,
// generating and storing one the first time.
func storedDevelopmentIdentity(ctx context.Context, store webservice.Store, key, passTypeID, teamID string) (*sign.DevelopmentIdentity, error) {
	stored, err := store.Setting(ctx, key)
	if errors.Is(err, webservice.ErrNotFound) {
		dev, gerr := sign.NewDevelopmentIdentity(passTypeID, teamID)
		if gerr != nil {
			return nil, gerr
		}
		blob, merr := marshalIdentity(dev)
		if merr != nil {
			return nil, merr
		}
		stored, err = store.PutSettingIfAbsent(ctx, key, blob)
	}
	if err != nil {
		return nil, fmt.Errorf("server: development identity: %w", err)
	}
	return unmarshalIdentity(stored)
}

func marshalIdentity(dev *sign.DevelopmentIdentity) ([]byte, error) {
	k, err := x509.MarshalPKCS8PrivateKey(dev.Signer)
	if err != nil {
		return nil, fmt.Errorf("server: development identity: %w", err)
	}
	si := storedIdentity{Certificate: dev.Certificate.Raw, Key: k, CA: dev.CA.Raw}
	for _, c := range dev.Chain {
		si.Chain = append(si.Chain, c.Raw)
	}
	return json.Marshal(si)
}

func unmarshalIdentity(b []byte) (*sign.DevelopmentIdentity, error) {
	var si storedIdentity
	if err := json.Unmarshal(b, &si); err != nil {
		return nil, fmt.Errorf("server: the development identity in the store does not decode: %w", err)
	}
	bad := func(err error) error {
		return fmt.Errorf("server: the development identity in the store is damaged: %w", err)
	}
	cert, err := x509.ParseCertificate(si.Certificate)
	if err != nil {
		return nil, bad(err)
	}
	ca, err := x509.ParseCertificate(si.CA)
	if err != nil {
		return nil, bad(err)
	}
	var chain []*x509.Certificate
	for _, der := range si.Chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, bad(err)
		}
		chain = append(chain, c)
	}
	k, err := x509.ParsePKCS8PrivateKey(si.Key)
	if err != nil {
		return nil, bad(err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, bad(errors.New("the key cannot sign"))
	}
	id, err := sign.NewIdentity(signer, cert, chain...)
	if err != nil {
		return nil, bad(err)
	}
	return &sign.DevelopmentIdentity{Identity: id, CA: ca}, nil
}
