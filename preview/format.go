package preview

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/pass"
)

// tagPattern matches the HTML tags of an attributedValue (Wallet allows only <a href='...'> links).
var tagPattern = regexp.MustCompile(`<[^>]*>`)

// fieldValue returns the text Wallet shows for a field's value: the attributedValue's text when set, a number
// formatted with currencyCode or numberStyle, a date formatted with dateStyle and timeStyle, or the string
// looked up in the localization.
func (r *renderer) fieldValue(f pass.Field) string {
	v := f.Value
	if !f.AttributedValue.IsZero() {
		v = f.AttributedValue
	}
	if v.IsNumber() {
		n, ok := v.Float64()
		if !ok {
			return v.String()
		}
		switch {
		case f.CurrencyCode != "":
			return formatCurrency(n, f.CurrencyCode)
		case f.NumberStyle != "":
			return formatNumber(n, f.NumberStyle)
		}
		return v.String()
	}
	s := v.String()
	if f.DateStyle != "" || f.TimeStyle != "" || f.IsRelative || f.IgnoresTimeZone {
		if t, err := v.Time(); err == nil {
			if !f.IgnoresTimeZone && r.loc != nil {
				t = t.In(r.loc)
			}
			dateStyle, timeStyle := f.DateStyle, f.TimeStyle
			if dateStyle == "" && timeStyle == "" {
				dateStyle, timeStyle = pass.DateStyleMedium, pass.DateStyleShort
			}
			if f.IsRelative && !r.now.IsZero() {
				if day := relativeDay(t, r.now.In(t.Location())); day != "" {
					if clock := formatDate(t, pass.DateStyleNone, timeStyle); clock != "" {
						return day + " at " + clock
					}
					return day
				}
			}
			return formatDate(t, dateStyle, timeStyle)
		}
	}
	s = r.localize(s)
	if !f.AttributedValue.IsZero() {
		s = tagPattern.ReplaceAllString(s, "")
		s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'").Replace(s)
	}
	return s
}

// formatDate formats t the way Wallet does in English for the date and time styles (either may be
// PKDateStyleNone or empty, which leaves that part out).
func formatDate(t time.Time, dateStyle, timeStyle pass.DateStyle) string {
	var date, clock string
	switch dateStyle {
	case pass.DateStyleShort:
		date = t.Format("1/2/06")
	case pass.DateStyleMedium:
		date = t.Format("Jan 2, 2006")
	case pass.DateStyleLong:
		date = t.Format("January 2, 2006")
	case pass.DateStyleFull:
		date = t.Format("Monday, January 2, 2006")
	}
	switch timeStyle {
	case pass.DateStyleShort:
		clock = t.Format("3:04 PM")
	case pass.DateStyleMedium:
		clock = t.Format("3:04:05 PM")
	case pass.DateStyleLong, pass.DateStyleFull:
		clock = t.Format("3:04:05 PM") + " " + zoneName(t)
	}
	switch {
	case date != "" && clock != "":
		return date + " at " + clock
	case date != "":
		return date
	}
	return clock
}

// relativeDay returns "Yesterday", "Today" or "Tomorrow" when t is on the calendar day before, of or after now
// (both in t's zone), and "" otherwise.
func relativeDay(t, now time.Time) string {
	d := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
	n := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, time.UTC)
	switch d.Sub(n) / (24 * time.Hour) {
	case -1:
		return "Yesterday"
	case 0:
		return "Today"
	case 1:
		return "Tomorrow"
	}
	return ""
}

// zoneName returns the zone of t as "GMT-5", "GMT+5:30" or "GMT".
func zoneName(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "GMT"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "GMT" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += ":" + strconv.Itoa(m/10) + strconv.Itoa(m%10)
	}
	return s
}

// currencies maps ISO 4217 codes to the symbol English formatting uses and the number of minor digits; other
// codes are written before the amount ("CHF 12.50") with two digits.
var currencies = map[string]struct {
	symbol string
	digits int
}{
	"USD": {"$", 2}, "EUR": {"€", 2}, "GBP": {"£", 2}, "JPY": {"¥", 0}, "CAD": {"CA$", 2}, "AUD": {"A$", 2},
	"NZD": {"NZ$", 2}, "HKD": {"HK$", 2}, "MXN": {"MX$", 2}, "BRL": {"R$", 2}, "CNY": {"CN¥", 2},
	"KRW": {"KRW ", 0}, "ISK": {"ISK ", 0}, "CLP": {"CLP ", 0}, "VND": {"VND ", 0},
}

// formatCurrency formats n as an amount of code: "$1,234.50", "-€3.00", "CHF 12.50".
func formatCurrency(n float64, code string) string {
	c, ok := currencies[strings.ToUpper(code)]
	if !ok {
		c.symbol, c.digits = strings.ToUpper(code)+" ", 2
	}
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + c.symbol + group(strconv.FormatFloat(n, 'f', c.digits, 64))
}

// formatNumber formats n in a numberStyle, as NumberFormatter does in English.
func formatNumber(n float64, style pass.NumberStyle) string {
	switch style {
	case pass.NumberStylePercent:
		return group(strconv.FormatFloat(math.Round(n*100), 'f', 0, 64)) + "%"
	case pass.NumberStyleScientific:
		if n == 0 {
			return "0E0"
		}
		s := strconv.FormatFloat(n, 'E', -1, 64) // 1.2345E+03
		mant, exp, _ := strings.Cut(s, "E")
		e, _ := strconv.Atoi(exp)
		return mant + "E" + strconv.Itoa(e)
	case pass.NumberStyleSpellOut:
		return spellOut(n)
	}
	// PKNumberStyleDecimal and unknown styles: grouping, at most three fraction digits.
	return group(strconv.FormatFloat(math.Round(n*1000)/1000, 'f', -1, 64))
}

// group inserts thousands separators into the integer part of a decimal number's text.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

var (
	smallNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens      = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	thousands = []string{"", "thousand", "million", "billion", "trillion"}
)

// spellOut writes n in English words ("one hundred twenty-three point four five"); numbers of 10^15 or more
// are written in digits.
func spellOut(n float64) string {
	if math.Abs(n) >= 1e15 || math.IsNaN(n) {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	var words []string
	if n < 0 {
		words = append(words, "minus")
		n = -n
	}
	text := strconv.FormatFloat(n, 'f', -1, 64)
	intText, frac, _ := strings.Cut(text, ".")
	i, _ := strconv.ParseInt(intText, 10, 64)
	words = append(words, spellInt(i)...)
	if frac != "" {
		words = append(words, "point")
		for _, d := range frac {
			words = append(words, smallNumbers[d-'0'])
		}
	}
	return strings.Join(words, " ")
}

// spellInt writes a non-negative integer below 10^15 in English words.
func spellInt(n int64) []string {
	if n == 0 {
		return []string{"zero"}
	}
	var groups []int64
	for ; n > 0; n /= 1000 {
		groups = append(groups, n%1000)
	}
	var words []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		if g >= 100 {
			words = append(words, smallNumbers[g/100], "hundred")
			g %= 100
		}
		switch {
		case g >= 20 && g%10 != 0:
			words = append(words, tens[g/10]+"-"+smallNumbers[g%10])
		case g >= 20:
			words = append(words, tens[g/10])
		case g > 0:
			words = append(words, smallNumbers[g])
		}
		if thousands[i] != "" {
			words = append(words, thousands[i])
		}
	}
	return words
}
