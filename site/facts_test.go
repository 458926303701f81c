package site

import (
	"path/filepath"
	"strings"
	"testing"
)

// gmbhSite is the German company's notice: conditional bases, § 25 TDDDG,
// data subjects, retention exceptions and events, cookies without names.
var gmbhSite = filepath.Join("..", "notice", "testdata", "gmbh")

// TestPageSaysConditionsAndTheCountrysLaw checks that the German company's
// page states each new fact as the notice does, in both languages: a basis
// limited to a case and the one for every other case (not two bases that
// both apply), the ePrivacy provision of Germany on every cookie category
// and never Sweden's, whose data each purpose processes, retention after
// events that are not the visitor's and with its exceptions, and cookies
// the notice describes without naming them.
func TestPageSaysConditionsAndTheCountrysLaw(t *testing.T) {
	t.Parallel()
	out := render(t, gmbhSite, false)
	tests := []struct {
		page string
		want []string
	}{
		{"de/datenschutz/index.html", []string{
			"Rechtsgrundlage Einwilligung, soweit Informationen auf Ihrem Endgerät gespeichert oder aus ihm ausgelesen werden (§ 25 Abs. 1 TDDDG) Berechtigtes Interesse in allen anderen Fällen",
			"Rechtsgrundlage Vertragserfüllung, soweit Sie vor einem Vertragsschluss ein Angebot oder Informationen von uns anfordern Berechtigtes Interesse in allen anderen Fällen",
			"Rechtsgrundlage Vertragserfüllung Betroffene Personen Kunden und ihre Ansprechpartner",
			"Betroffene Personen Interessenten, Kunden, Ansprechpartner bei Geschäftspartnern",
			"Betroffene Personen Besucher der Website",
			"Speicherdauer höchstens 30 Tage ab dem Zeitpunkt, an dem die Daten für den Zweck nicht mehr benötigt werden, es sei denn, ein Gesetz verpflichtet uns, die Daten länger aufzubewahren",
			"höchstens 30 Tage nach Ende unseres Vertrags mit dem Auftragsverarbeiter",
			"Daten Speicherdauer Gerechnet ab Es sei denn Gesetzliche Vorgabe Grund",
			"Nutzungsdaten höchstens 7 Tage ab der Erhebung wir benötigen die Daten zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen – Zur Aufklärung von Angriffen.",
			"Vertragsdaten 8 Jahre nach Ende des Kalenderjahres, in dem die Unterlage entstanden ist – § 147 Abs. 1 Nr. 4, Abs. 3 und 4 AO –",
			"Speichert Ihre Auswahl. Informationen werden ohne Ihre Einwilligung nur gespeichert oder ausgelesen, soweit dies unbedingt erforderlich ist, um einen von Ihnen ausdrücklich gewünschten Dienst bereitzustellen (§ 25 Abs. 2 Nr. 2 TDDDG).",
			"Reichweitenmessung mit Cookies. Informationen werden nur mit Ihrer Einwilligung auf Ihrem Endgerät gespeichert oder aus ihm ausgelesen (§ 25 Abs. 1 TDDDG).",
			"Zählwerk Analytics GmbH (Namen nicht angegeben) Cookie Zählwerk Analytics GmbH zaehlwerk.example (Drittanbieter) Statistik 13 Monate Erkennt wiederkehrende Besucher.",
		}},
		{"en/privacy/index.html", []string{
			"Legal basis Consent, where information is stored on your device or read from it (§ 25 Abs. 1 TDDDG) Legitimate interest in all other cases",
			"Legal basis Performance of a contract, where you ask us for an offer or for information before entering into a contract Legitimate interest in all other cases",
			"Data subjects prospective customers, customers, contact persons at business partners",
			"Data subjects customers and their contact persons",
			"Retention at most 30 days after the data is no longer needed for the purpose, unless a law requires us to keep the data longer",
			"at most 30 days after our contract with the processor has ended",
			"Data Retention Counted from Unless Statutory requirement Reason",
			"Stores your choice. Information is stored on your device or read from it without your consent only as far as this is strictly necessary to provide a service you have expressly asked for (§ 25 Abs. 2 Nr. 2 TDDDG).",
			"Zählwerk Analytics GmbH (names not stated) Cookie Zählwerk Analytics GmbH zaehlwerk.example (third party) Statistics 13 months Recognises returning visitors.",
			// The DPO is named by role, in each language.
			"Data protection officer Data protection officer of Beispiel Software GmbH E-mail",
		}},
	}
	for _, tt := range tests {
		text := pageText(out.Files[tt.page])
		for _, w := range tt.want {
			if !strings.Contains(text, norm(w)) {
				t.Errorf("%s lacks %q", tt.page, w)
			}
		}
		// A German notice cites German law, never the Swedish rule.
		for _, bad := range []string{"LEK", "9 kap.", "2022:482"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s cites %q", tt.page, bad)
			}
		}
	}
	// The banner's settings list the described cookies by their provider.
	cfg := string(out.Files["assets/consent-config.de.json"])
	if !strings.Contains(cfg, `"name":"Zählwerk Analytics GmbH (Namen nicht angegeben)","domain":"zaehlwerk.example","about":"13 Monate, zaehlwerk.example (Drittanbieter)"`) {
		t.Errorf("banner config lacks the described cookie:\n%s", cfg)
	}
	if len(out.Findings) > 0 {
		t.Errorf("the example has lint findings:\n%s", out.Findings.Error())
	}
	goldens(t, out, "gmbh_", "de/datenschutz/index.html")
}

// TestBasesOfACaseEachStartTheirLine checks that a purpose with several
// bases lists them one per line, each beginning with its name as a label
// does: run together after a semicolon, the second read "; Berechtigtes
// Interesse in allen anderen Fällen" and "; Legitimate interest in all
// other cases", a capital in the middle of a sentence (in German, on an
// adjective). A purpose with one basis keeps it inline.
func TestBasesOfACaseEachStartTheirLine(t *testing.T) {
	t.Parallel()
	out := render(t, gmbhSite, false)
	for page, want := range map[string][]string{
		"de/datenschutz/index.html": {
			"<dd><ul><li><strong>Einwilligung</strong>, soweit Informationen auf Ihrem Endgerät gespeichert oder aus ihm ausgelesen werden (§ 25 Abs. 1 TDDDG)</li><li><strong>Berechtigtes Interesse</strong> in allen anderen Fällen</li></ul></dd>",
			"<dt>Rechtsgrundlage</dt><dd><strong>Vertragserfüllung</strong></dd>",
		},
		"en/privacy/index.html": {
			"<dd><ul><li><strong>Performance of a contract</strong>, where you ask us for an offer or for information before entering into a contract</li><li><strong>Legitimate interest</strong> in all other cases</li></ul></dd>",
			"<dt>Legal basis</dt><dd><strong>Legitimate interest</strong></dd>",
		},
	} {
		html := string(out.Files[page])
		for _, w := range want {
			if !strings.Contains(html, w) {
				t.Errorf("%s lacks %s", page, w)
			}
		}
		if strings.Contains(html, "; <strong>") {
			t.Errorf("%s runs bases together after a semicolon", page)
		}
	}
}
