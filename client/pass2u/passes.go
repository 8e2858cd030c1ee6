package pass2u

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passforge/passforge/client"
)

// ErrInvalidParams is matched (with errors.Is) by the error Create and
// Update return when PassParams break a limit of Pass2U's parameter
// tables; the request is not sent. The error names every problem and its
// JSON path, such as "fields[0].key is empty".
var ErrInvalidParams = errors.New("pass2u: invalid pass parameters")

// PassParams are the attributes and dynamic fields of a pass, the body of
// "Create pass" and "Update pass". Every attribute is optional: one left
// out keeps the model's value (on create) or the pass's current value (on
// update); DeleteAttribute resets one to the model's value. The zero value
// asks for a pass exactly like the model.
type PassParams struct {
	// Description describes the campaign of the pass (description, at
	// most 255 characters).
	Description string `json:"description,omitempty"`
	// OrganizationName is shown on the lock screen near relevant
	// locations and with notifications (organizationName, at most 100).
	OrganizationName string `json:"organizationName,omitempty"`
	// Passcode protects the pass download page (passcode, at most 100).
	Passcode string `json:"passcode,omitempty"`

	// AssociatedStoreIdentifiers are iTunes Store item identifiers of the
	// associated iOS app (associatedStoreIdentifiers; Pass2U allows one).
	AssociatedStoreIdentifiers []int64 `json:"associatedStoreIdentifiers,omitempty"`
	// AppLaunchURL is passed to the associated iOS app when launched
	// (appLaunchURL, at most 255).
	AppLaunchURL string `json:"appLaunchURL,omitempty"`
	// AssociatedPlayIdentifiers are Google Play identifiers of the
	// associated Android app (associatedPlayIdentifiers; Pass2U allows one).
	AssociatedPlayIdentifiers []string `json:"associatedPlayIdentifiers,omitempty"`
	// AndroidAppLaunchURL is passed to the associated Android app when
	// launched (androidAppLaunchURL, at most 255).
	AndroidAppLaunchURL string `json:"androidAppLaunchURL,omitempty"`

	// ExpirationDate is when the pass expires (expirationDate); after it
	// the pass is voided. Sent in ISO 8601 with seconds and time zone,
	// such as 2018-10-18T16:53:00+08:00; zero leaves it out.
	ExpirationDate time.Time `json:"expirationDate,omitzero"`
	// Voided marks the pass void, for example a redeemed one-time coupon
	// (voided). Nil leaves it out.
	Voided *bool `json:"voided,omitempty"`

	// MaxDistance is the maximum distance in meters from a relevant
	// location at which the pass is relevant (maxDistance); zero leaves it
	// out.
	MaxDistance float64 `json:"maxDistance,omitempty"`
	// RelevantDate is when the pass becomes relevant, such as the start of
	// a movie (relevantDate); zero leaves it out.
	RelevantDate time.Time `json:"relevantDate,omitzero"`

	// BackgroundColor is a CSS-style RGB triple such as "rgb(23, 187, 82)"
	// (backgroundColor, at most 18 characters).
	BackgroundColor string `json:"backgroundColor,omitempty"`
	// ForegroundColor is a CSS-style RGB triple (foregroundColor, at most
	// 30 characters).
	ForegroundColor string `json:"foregroundColor,omitempty"`
	// GroupingIdentifier groups related event tickets and boarding passes
	// (groupingIdentifier, at most 50).
	GroupingIdentifier string `json:"groupingIdentifier,omitempty"`
	// LabelColor is the CSS-style RGB triple of label text (labelColor, at
	// most 18 characters).
	LabelColor string `json:"labelColor,omitempty"`
	// LogoText is displayed next to the logo (logoText, at most 35).
	LogoText string `json:"logoText,omitempty"`
	// SharingProhibited stops the pass from being shared
	// (sharingProhibited, used in Pass2U's create example). Nil leaves it
	// out.
	SharingProhibited *bool `json:"sharingProhibited,omitempty"`

	// Images replace the model's images (images). Give every image the
	// pass should show: an image not listed is not displayed, even when
	// the model has one.
	Images []Image `json:"images,omitempty"`
	// Beacons are up to 10 iBeacons near which the pass is relevant
	// (beacons).
	Beacons []Beacon `json:"beacons,omitempty"`
	// Locations are up to 10 locations near which the pass is relevant
	// (locations).
	Locations []Location `json:"locations,omitempty"`
	// Barcode sets the barcode's message and alternative text (barcode).
	Barcode *Barcode `json:"barcode,omitempty"`
	// Fields give values to the model's Dynamic fields (fields).
	Fields []Field `json:"fields,omitempty"`

	// Extra holds attributes these fields do not name; they are added to
	// the JSON body as they are. A key that a typed field also sets is an
	// error.
	Extra map[string]any `json:"-"`
}

// ImageType is the type of an image of a pass.
type ImageType string

// Image types Pass2U accepts in Image.Type; the pass style decides which
// ones show (boarding pass: icon, logo, footer; coupon and store card:
// icon, logo, strip; event ticket: icon, logo, background and thumbnail,
// or strip; generic: icon, logo, thumbnail).
const (
	// ImageIcon is the icon (recommended 58×58).
	ImageIcon ImageType = "icon"
	// ImageLogo is the logo (recommended 320×100).
	ImageLogo ImageType = "logo"
	// ImageStrip is the strip image (recommended 750×288).
	ImageStrip ImageType = "strip"
	// ImageBackground is the background image (recommended 360×440).
	ImageBackground ImageType = "background"
	// ImageThumbnail is the thumbnail (recommended 180×180).
	ImageThumbnail ImageType = "thumbnail"
	// ImageFooter is the footer image (recommended 572×30).
	ImageFooter ImageType = "footer"
)

// imageTypes lists the valid ImageType values.
var imageTypes = []ImageType{ImageIcon, ImageLogo, ImageStrip, ImageBackground, ImageThumbnail, ImageFooter}

// Image is one image of a pass: an uploaded image's hex for one type.
type Image struct {
	// Type is the image type (type).
	Type ImageType `json:"type"`
	// Hex is the hash returned by ImagesService.Upload (hex), such as
	// "01474ead01d4b4ee6ad3bda2b15013888e74c866".
	Hex string `json:"hex"`
}

// Beacon is a Bluetooth Low Energy beacon near which the pass is relevant.
type Beacon struct {
	// Major is the beacon's major identifier (major); nil leaves it out.
	Major *uint16 `json:"major,omitempty"`
	// Minor is the beacon's minor identifier. Pass2U's table spells the
	// key "minjor"; the key sent is Apple's "minor". Nil leaves it out.
	Minor *uint16 `json:"minor,omitempty"`
	// ProximityUUID is the beacon's UUID (proximityUUID, at most 36).
	ProximityUUID string `json:"proximityUUID"`
	// RelevantText is shown on the lock screen near the beacon
	// (relevantText, at most 255).
	RelevantText string `json:"relevantText,omitempty"`
}

// Location is a place near which the pass is relevant.
type Location struct {
	// Altitude is the altitude in meters (altitude); nil leaves it out.
	Altitude *float64 `json:"altitude,omitempty"`
	// Latitude is the latitude in degrees (latitude).
	Latitude float64 `json:"latitude"`
	// Longitude is the longitude in degrees (longitude).
	Longitude float64 `json:"longitude"`
	// RelevantText is shown on the lock screen near the location
	// (relevantText, at most 255).
	RelevantText string `json:"relevantText,omitempty"`
}

// Barcode sets the barcode of a pass whose model has a Dynamic barcode.
// Pass2U's table calls barcode an array while its example sends one
// object; the object form of the example is sent.
type Barcode struct {
	// Message is the barcode's payload (message, at most 7089). A message
	// Pass2U generated cannot be changed.
	Message string `json:"message,omitempty"`
	// AltText is the text displayed near the barcode (altText, at most 35).
	AltText string `json:"altText,omitempty"`
}

// Field gives data to a Dynamic field of the model. Value is always sent,
// so an empty Value empties the field; Label and ChangeMessage are sent
// when not empty, otherwise the model's attributes stay.
type Field struct {
	// Key is the unique key the field has in the Model Designer (key, at
	// most 100). Required.
	Key string `json:"key"`
	// Label is the field's label (label, at most 150).
	Label string `json:"label,omitempty"`
	// Value is the field's value: text, an ISO 8601 date or a number
	// (value, at most 5000).
	Value string `json:"value"`
	// ChangeMessage is the alert shown when the field changes; it must
	// contain "%@", replaced by the new value (changeMessage, at most 80).
	ChangeMessage string `json:"changeMessage,omitempty"`
}

// MarshalJSON writes the typed attributes, dates in ISO 8601 with whole
// seconds, and the Extra attributes.
func (p PassParams) MarshalJSON() ([]byte, error) {
	type plain PassParams
	q := plain(p)
	q.ExpirationDate = wholeSeconds(q.ExpirationDate)
	q.RelevantDate = wholeSeconds(q.RelevantDate)
	b, err := json.Marshal(q)
	if err != nil || len(p.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("pass2u: Extra[%q] duplicates a typed attribute", k)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("pass2u: Extra[%q]: %w", k, err)
		}
		m[k] = raw
	}
	return json.Marshal(m)
}

// wholeSeconds drops fractions of a second, which Pass2U's date format
// does not have.
func wholeSeconds(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Second)
}

// Limits of Pass2U's parameter tables, in characters.
const (
	maxDescription   = 255
	maxOrgName       = 100
	maxPasscode      = 100
	maxURL           = 255
	maxPlayID        = 255
	maxStoreIDDigits = 11
	maxRGB18         = 18
	maxForeground    = 30
	maxGroupingID    = 50
	maxLogoText      = 35
	maxImageHex      = 50
	maxUUID          = 36
	maxRelevantText  = 255
	maxAltText       = 35
	maxMessage       = 7089
	maxFieldKey      = 100
	maxLabel         = 150
	maxValue         = 5000
	maxChangeMessage = 80
	maxBeacons       = 10
	maxLocations     = 10
)

// validate checks p against Pass2U's parameter tables and returns every
// problem at once, wrapped in ErrInvalidParams.
func (p *PassParams) validate() error {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	length := func(path, v string, max int) {
		if n := utf8.RuneCountInString(v); n > max {
			add("%s has %d characters, more than %d", path, n, max)
		}
	}
	length("description", p.Description, maxDescription)
	length("organizationName", p.OrganizationName, maxOrgName)
	length("passcode", p.Passcode, maxPasscode)
	if len(p.AssociatedStoreIdentifiers) > 1 {
		add("associatedStoreIdentifiers has %d items; Pass2U allows one", len(p.AssociatedStoreIdentifiers))
	}
	for i, id := range p.AssociatedStoreIdentifiers {
		if id <= 0 || len(fmt.Sprint(id)) > maxStoreIDDigits {
			add("associatedStoreIdentifiers[%d] = %d is not a positive number of at most %d digits", i, id, maxStoreIDDigits)
		}
	}
	length("appLaunchURL", p.AppLaunchURL, maxURL)
	if len(p.AssociatedPlayIdentifiers) > 1 {
		add("associatedPlayIdentifiers has %d items; Pass2U allows one", len(p.AssociatedPlayIdentifiers))
	}
	for i, id := range p.AssociatedPlayIdentifiers {
		if id == "" {
			add("associatedPlayIdentifiers[%d] is empty", i)
		}
		length(fmt.Sprintf("associatedPlayIdentifiers[%d]", i), id, maxPlayID)
	}
	length("androidAppLaunchURL", p.AndroidAppLaunchURL, maxURL)
	if p.MaxDistance < 0 {
		add("maxDistance %v is negative", p.MaxDistance)
	}
	length("backgroundColor", p.BackgroundColor, maxRGB18)
	length("foregroundColor", p.ForegroundColor, maxForeground)
	length("groupingIdentifier", p.GroupingIdentifier, maxGroupingID)
	length("labelColor", p.LabelColor, maxRGB18)
	length("logoText", p.LogoText, maxLogoText)
	seenImage := map[ImageType]bool{}
	for i, im := range p.Images {
		path := fmt.Sprintf("images[%d]", i)
		if !slices.Contains(imageTypes, im.Type) {
			add("%s.type %q is not one of icon, logo, strip, background, thumbnail, footer", path, im.Type)
		} else if seenImage[im.Type] {
			add("%s.type %q is given twice", path, im.Type)
		}
		seenImage[im.Type] = true
		if im.Hex == "" {
			add("%s.hex is empty", path)
		}
		length(path+".hex", im.Hex, maxImageHex)
	}
	if len(p.Beacons) > maxBeacons {
		add("beacons has %d items, more than %d", len(p.Beacons), maxBeacons)
	}
	for i, b := range p.Beacons {
		path := fmt.Sprintf("beacons[%d]", i)
		if b.ProximityUUID == "" {
			add("%s.proximityUUID is empty", path)
		}
		length(path+".proximityUUID", b.ProximityUUID, maxUUID)
		length(path+".relevantText", b.RelevantText, maxRelevantText)
	}
	if len(p.Locations) > maxLocations {
		add("locations has %d items, more than %d", len(p.Locations), maxLocations)
	}
	for i, l := range p.Locations {
		path := fmt.Sprintf("locations[%d]", i)
		if l.Latitude < -90 || l.Latitude > 90 {
			add("%s.latitude %v is outside -90..90", path, l.Latitude)
		}
		if l.Longitude < -180 || l.Longitude > 180 {
			add("%s.longitude %v is outside -180..180", path, l.Longitude)
		}
		length(path+".relevantText", l.RelevantText, maxRelevantText)
	}
	if p.Barcode != nil {
		length("barcode.message", p.Barcode.Message, maxMessage)
		length("barcode.altText", p.Barcode.AltText, maxAltText)
	}
	seenField := map[string]bool{}
	for i, f := range p.Fields {
		path := fmt.Sprintf("fields[%d]", i)
		switch {
		case f.Key == "":
			add("%s.key is empty", path)
		case seenField[f.Key]:
			add("%s.key %q is given twice", path, f.Key)
		}
		seenField[f.Key] = true
		length(path+".key", f.Key, maxFieldKey)
		length(path+".label", f.Label, maxLabel)
		length(path+".value", f.Value, maxValue)
		length(path+".changeMessage", f.ChangeMessage, maxChangeMessage)
		if f.ChangeMessage != "" && !strings.Contains(f.ChangeMessage, "%@") {
			add("%s.changeMessage %q does not contain %%@", path, f.ChangeMessage)
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvalidParams, strings.Join(probs, "; "))
}

// Pass is Pass2U's answer to Create and Update: the pass id to keep and
// what the pass was given.
type Pass struct {
	// PassID is the unique id of the pass (passId); keep it to update,
	// reset and download the pass.
	PassID string `json:"passId"`
	// ModelID is the model the pass was created from (modelId).
	ModelID ModelID `json:"modelId"`
	// BarcodeMessage is the message of the pass's barcode
	// (barcodeMessage).
	BarcodeMessage string `json:"barcodeMessage"`
	// CreatedTime is when the pass was created (createdTime); zero in an
	// Update answer.
	CreatedTime time.Time `json:"-"`
	// UpdatedTime is when the pass was updated (updatedTime); zero in a
	// Create answer.
	UpdatedTime time.Time `json:"-"`
	// ExpirationDate is when the pass expires (expirationDate); zero when
	// it does not.
	ExpirationDate time.Time `json:"-"`
	// Raw is the whole JSON object as received, including fields this
	// type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields, reading the dates leniently
// (empty or null is the zero time), and keeps the raw object.
func (p *Pass) UnmarshalJSON(b []byte) error {
	type plain Pass
	var w struct {
		*plain
		CreatedTime    *string `json:"createdTime"`
		UpdatedTime    *string `json:"updatedTime"`
		ExpirationDate *string `json:"expirationDate"`
	}
	w.plain = (*plain)(p)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		src  *string
		dst  *time.Time
	}{
		{"createdTime", w.CreatedTime, &p.CreatedTime},
		{"updatedTime", w.UpdatedTime, &p.UpdatedTime},
		{"expirationDate", w.ExpirationDate, &p.ExpirationDate},
	} {
		if d.src == nil {
			continue
		}
		t, err := parseTime(d.name, *d.src)
		if err != nil {
			return err
		}
		*d.dst = t
	}
	p.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// DownloadPageURL returns the public page at which anyone can download
// the pass: https://www.pass2u.net/d/{passId}.
func (p *Pass) DownloadPageURL() string { return DownloadPageURL(p.PassID) }

// DownloadPageURL returns the public download page of the pass with id
// passID: https://www.pass2u.net/d/{passId}.
func DownloadPageURL(passID string) string { return downloadPageBase + url.PathEscape(passID) }

// CreateOptions are the optional query parameters of Create. A nil
// *CreateOptions sends none.
type CreateOptions struct {
	// UTMSource names the channel the pass is issued through, such as a
	// campaign, so the Dashboard counts issues per channel (utm_source).
	UTMSource string
}

// PassesService creates and manages passes of a model
// (/models/{modelId}/passes).
type PassesService struct{ c *Client }

// Create creates a pass from the model modelID with the attributes and
// Dynamic field values of params (POST /models/{modelId}/passes); a nil
// params creates a pass exactly like the model. Pass2U has no idempotency
// keys, so Create is retried only when the request never reached Pass2U or
// was answered 429 or 503 (not processed).
func (s *PassesService) Create(ctx context.Context, modelID string, params *PassParams, opts *CreateOptions) (*Pass, *client.Response, error) {
	m, err := segment("model id", modelID)
	if err != nil {
		return nil, nil, err
	}
	if params == nil {
		params = &PassParams{}
	}
	if err := params.validate(); err != nil {
		return nil, nil, err
	}
	var q url.Values
	if opts != nil && opts.UTMSource != "" {
		q = url.Values{"utm_source": {opts.UTMSource}}
	}
	var p Pass
	resp, err := s.c.core.Do(ctx, &client.Request{
		Method: http.MethodPost, Path: "/models/" + m + "/passes", Query: q, Body: params,
	}, &p)
	if err != nil {
		return nil, resp, wrap("create pass", err)
	}
	if p.PassID == "" {
		return nil, resp, errors.New("pass2u: create pass: response has no passId")
	}
	return &p, resp, nil
}

// Update adds or changes attributes and Dynamic field values of the pass
// passID of model modelID (PUT /models/{modelId}/passes/{passId}). Pass2U
// pushes the change to the holder's device, with a field's ChangeMessage
// on the lock screen. params must set at least one attribute.
func (s *PassesService) Update(ctx context.Context, modelID, passID string, params *PassParams) (*Pass, *client.Response, error) {
	return s.update(ctx, "update pass", modelID, passID, params)
}

// update sends PUT /models/{modelId}/passes/{passId}; op names the call
// in errors.
func (s *PassesService) update(ctx context.Context, op, modelID, passID string, params *PassParams) (*Pass, *client.Response, error) {
	path, err := passPath(modelID, passID)
	if err != nil {
		return nil, nil, err
	}
	if params == nil {
		return nil, nil, fmt.Errorf("%w: update needs at least one attribute", ErrInvalidParams)
	}
	if err := params.validate(); err != nil {
		return nil, nil, err
	}
	body, err := json.Marshal(params)
	if err != nil {
		return nil, nil, fmt.Errorf("pass2u: %s: %w", op, err)
	}
	if bytes.Equal(body, []byte("{}")) {
		return nil, nil, fmt.Errorf("%w: update needs at least one attribute", ErrInvalidParams)
	}
	var p Pass
	resp, err := s.c.core.Do(ctx, &client.Request{
		Method: http.MethodPut, Path: path, Body: json.RawMessage(body),
	}, &p)
	if err != nil {
		return nil, resp, wrap(op, err)
	}
	return &p, resp, nil
}

// Void marks a pass void, for example a redeemed one-time coupon: an
// Update that sets voided to true (PUT /models/{modelId}/passes/{passId}
// with {"voided": true}). DeleteAttribute with AttributeVoided resets it
// to the model's value.
func (s *PassesService) Void(ctx context.Context, modelID, passID string) (*Pass, *client.Response, error) {
	voided := true
	return s.update(ctx, "void pass", modelID, passID, &PassParams{Voided: &voided})
}

// Attribute names of a pass that DeleteAttribute resets to the model's
// value: Pass2U's top-level and lower-level keys.
const (
	// AttributeDescription is the description attribute.
	AttributeDescription = "description"
	// AttributeOrganizationName is the organizationName attribute.
	AttributeOrganizationName = "organizationName"
	// AttributePasscode is the passcode attribute.
	AttributePasscode = "passcode"
	// AttributeAssociatedStoreIdentifiers is the associatedStoreIdentifiers attribute.
	AttributeAssociatedStoreIdentifiers = "associatedStoreIdentifiers"
	// AttributeAppLaunchURL is the appLaunchURL attribute.
	AttributeAppLaunchURL = "appLaunchURL"
	// AttributeAssociatedPlayIdentifiers is the associatedPlayIdentifiers attribute.
	AttributeAssociatedPlayIdentifiers = "associatedPlayIdentifiers"
	// AttributeAndroidAppLaunchURL is the androidAppLaunchURL attribute.
	AttributeAndroidAppLaunchURL = "androidAppLaunchURL"
	// AttributeExpirationDate is the expirationDate attribute.
	AttributeExpirationDate = "expirationDate"
	// AttributeVoided is the voided attribute.
	AttributeVoided = "voided"
	// AttributeMaxDistance is the maxDistance attribute.
	AttributeMaxDistance = "maxDistance"
	// AttributeRelevantDate is the relevantDate attribute.
	AttributeRelevantDate = "relevantDate"
	// AttributeBackgroundColor is the backgroundColor attribute.
	AttributeBackgroundColor = "backgroundColor"
	// AttributeForegroundColor is the foregroundColor attribute.
	AttributeForegroundColor = "foregroundColor"
	// AttributeGroupingIdentifier is the groupingIdentifier attribute.
	AttributeGroupingIdentifier = "groupingIdentifier"
	// AttributeLabelColor is the labelColor attribute.
	AttributeLabelColor = "labelColor"
	// AttributeLogoText is the logoText attribute.
	AttributeLogoText = "logoText"
	// AttributeImages is the images attribute.
	AttributeImages = "images"
	// AttributeBeacons is the beacons attribute.
	AttributeBeacons = "beacons"
	// AttributeLocations is the locations attribute.
	AttributeLocations = "locations"
	// AttributeBarcode is the barcode attribute.
	AttributeBarcode = "barcode"
)

// Field attribute names that DeleteFieldAttribute resets to the model's
// field attribute.
const (
	// FieldAttributeLabel is the label attribute of a field.
	FieldAttributeLabel = "label"
	// FieldAttributeValue is the value attribute of a field.
	FieldAttributeValue = "value"
	// FieldAttributeChangeMessage is the changeMessage attribute of a field.
	FieldAttributeChangeMessage = "changeMessage"
)

// DeleteAttribute resets the custom attribute (a top-level or lower-level
// key such as AttributeLogoText) of a pass to the model's value
// (DELETE /models/{modelId}/passes/{passId}/attributes/{attributeName}).
func (s *PassesService) DeleteAttribute(ctx context.Context, modelID, passID, attribute string) (*client.Response, error) {
	path, err := passPath(modelID, passID)
	if err != nil {
		return nil, err
	}
	a, err := segment("attribute name", attribute)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.core.Do(ctx, &client.Request{Method: http.MethodDelete, Path: path + "/attributes/" + a}, nil)
	return resp, wrap("delete pass attribute", err)
}

// DeleteField removes the custom data of the field fieldKey of a pass so
// it shows the model's field data again
// (DELETE /models/{modelId}/passes/{passId}/fields/{fieldKey}).
func (s *PassesService) DeleteField(ctx context.Context, modelID, passID, fieldKey string) (*client.Response, error) {
	path, err := passPath(modelID, passID)
	if err != nil {
		return nil, err
	}
	k, err := segment("field key", fieldKey)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.core.Do(ctx, &client.Request{Method: http.MethodDelete, Path: path + "/fields/" + k}, nil)
	return resp, wrap("delete custom field", err)
}

// DeleteFieldAttribute resets one attribute (such as FieldAttributeLabel)
// of the customized field fieldKey of a pass to the model's
// (DELETE /models/{modelId}/passes/{passId}/fields/{fieldKey}/attributes/{attributeName}).
func (s *PassesService) DeleteFieldAttribute(ctx context.Context, modelID, passID, fieldKey, attribute string) (*client.Response, error) {
	path, err := passPath(modelID, passID)
	if err != nil {
		return nil, err
	}
	k, err := segment("field key", fieldKey)
	if err != nil {
		return nil, err
	}
	a, err := segment("field attribute name", attribute)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.core.Do(ctx, &client.Request{
		Method: http.MethodDelete, Path: path + "/fields/" + k + "/attributes/" + a,
	}, nil)
	return resp, wrap("delete field attribute", err)
}

// MaxPassBytes caps a .pkpass download; a longer body ends Download with
// an error instead of filling w without bound.
const MaxPassBytes = 64 << 20

// zipMagic starts every .pkpass file (a zip archive's local file header).
var zipMagic = []byte("PK\x03\x04")

// Download streams the .pkpass file of a pass to w without buffering it
// (GET /models/{modelId}/passes/{passId} with Accept
// application/vnd.apple.pkpass) and returns the number of bytes written.
// The body must start like a zip archive and stay under MaxPassBytes;
// otherwise Download fails, after writing at most what it had checked.
// Attempts are retried until the response headers arrive; once bytes were
// written to w an error ends the call.
func (s *PassesService) Download(ctx context.Context, modelID, passID string, w io.Writer) (int64, *client.Response, error) {
	if w == nil {
		return 0, nil, errors.New("pass2u: download pass: nil io.Writer")
	}
	path, err := passPath(modelID, passID)
	if err != nil {
		return 0, nil, err
	}
	pw := &pkpassWriter{w: w, max: MaxPassBytes}
	resp, err := s.c.core.Stream(ctx, &client.Request{
		Path: path, Header: http.Header{"Accept": {ContentTypePKPass}},
	}, pw)
	if err == nil {
		err = pw.finish()
	}
	if err != nil {
		return pw.n, resp, wrap("download pass", err)
	}
	return pw.n, resp, nil
}

// pkpassWriter passes a download through to w after checking that it
// starts with the zip signature, and stops it at max bytes.
type pkpassWriter struct {
	w    io.Writer
	max  int64
	head []byte // the first bytes, held until the signature is checked
	ok   bool   // the signature was checked
	n    int64  // bytes written to w
	seen int64  // bytes received
}

// Write checks and forwards b.
func (p *pkpassWriter) Write(b []byte) (int, error) {
	p.seen += int64(len(b))
	if p.seen > p.max {
		return 0, fmt.Errorf("pass2u: .pkpass is larger than %d bytes", p.max)
	}
	if !p.ok {
		need := len(zipMagic) - len(p.head)
		if len(b) < need {
			p.head = append(p.head, b...)
			return len(b), nil
		}
		p.head = append(p.head, b[:need]...)
		if !bytes.Equal(p.head, zipMagic) {
			return 0, errors.New("pass2u: response is not a .pkpass file (no zip signature)")
		}
		p.ok = true
		if err := p.forward(p.head); err != nil {
			return 0, err
		}
		if err := p.forward(b[need:]); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	if err := p.forward(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// forward writes b to the destination and counts it.
func (p *pkpassWriter) forward(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	n, err := p.w.Write(b)
	p.n += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// finish reports a body too short to hold the zip signature.
func (p *pkpassWriter) finish() error {
	if !p.ok {
		return fmt.Errorf("pass2u: response is not a .pkpass file (%d bytes)", p.seen)
	}
	return nil
}
