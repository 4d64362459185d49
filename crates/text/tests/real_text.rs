//! Tests on real text nobody here wrote (fetched by scripts/fetch-fixtures.sh).
//! Each test prints that it skips when its fixture is absent.

mod common;

use hoithi_text::legacy::{self, Legacy};
use hoithi_text::normalize::{LegacyMode, Options, ToneStyle, normalize, normalize_str};
use hoithi_text::{spell, tokenize};
use unicode_normalization::UnicodeNormalization;

fn paragraphs_or_skip(test: &str) -> Option<Vec<String>> {
    let p = common::vietnamese_paragraphs();
    if p.is_none() {
        println!(
            "{test}: SKIPPED, libreoffice-help-vi not fetched (run crates/text/scripts/fetch-fixtures.sh)"
        );
    }
    p
}

/// Paragraphs mostly in Vietnamese: at least 40% of words hold a non-ASCII Vietnamese letter.
fn vietnamese(paras: &[String]) -> Vec<String> {
    let is_vn = |w: &str| {
        w.chars()
            .any(|c| !c.is_ascii() && (hoithi_text::fold::fold(&c.to_string()) != c.to_string()))
    };
    paras
        .iter()
        .filter(|p| {
            let words = p.split_whitespace().count();
            let vn = p.split_whitespace().filter(|w| is_vn(w)).count();
            vn * 10 >= words * 4
        })
        .map(|p| normalize_str(p))
        .collect()
}

#[test]
fn normalize_is_idempotent_and_repairs_variants() {
    let Some(paras) = paragraphs_or_skip("normalize_is_idempotent_and_repairs_variants") else {
        return;
    };
    let old = Options {
        tone_style: ToneStyle::Old,
        legacy: LegacyMode::Auto,
    };
    let (mut n, mut changed_by_first_pass) = (0, 0);
    for p in &paras {
        let once = normalize_str(p);
        if once != *p {
            changed_by_first_pass += 1;
        }
        assert_eq!(normalize_str(&once), once, "not idempotent: {p:?}");
        // NFD and mark-order damage come back.
        let nfd: String = once.nfd().collect();
        assert_eq!(normalize_str(&nfd), once, "NFD variant: {p:?}");
        // Old style and back.
        let as_old = normalize(&once, &old).text;
        assert_eq!(normalize(&as_old, &old).text, as_old);
        assert_eq!(normalize_str(&as_old), once, "old-style variant: {p:?}");
        // Offsets land on char boundaries.
        let r = normalize(p, &Options::default());
        for (i, _) in r.text.char_indices().step_by(7) {
            assert!(p.is_char_boundary(r.original_offset(i)));
        }
        n += 1;
    }
    println!(
        "normalize: {n} paragraphs idempotent, {changed_by_first_pass} changed by the first pass"
    );
    assert!(n > 10_000);
}

#[test]
fn legacy_round_trip_and_detection_on_real_text() {
    let Some(paras) = paragraphs_or_skip("legacy_round_trip_and_detection_on_real_text") else {
        return;
    };
    let paras = vietnamese(&paras);
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let (mut total, mut encodable, mut detected, mut detectable) = (0, 0, 0, 0);
        let mut missed = Vec::new();
        for p in &paras {
            total += 1;
            let Some(e) = legacy::encode(p, enc) else {
                continue;
            };
            encodable += 1;
            assert_eq!(legacy::decode(&e, enc), *p, "{enc:?} round trip");
            let forced = normalize(
                &e,
                &Options {
                    legacy: LegacyMode::Force(enc),
                    ..Options::default()
                },
            );
            assert_eq!(forced.text, *p);
            // Detection needs a few changed words to decide; count paragraphs with 8 or more.
            if tokenize::word_count(p) >= 8 {
                detectable += 1;
                let d = legacy::detect(&e);
                if d == Some(enc) {
                    detected += 1;
                } else {
                    if missed.len() < 8 {
                        missed.push(e.clone());
                    }
                    assert!(d.is_none(), "{enc:?} text detected as {d:?}: {e}");
                }
            }
        }
        println!(
            "{enc:?}: {encodable}/{total} paragraphs encodable, all round-trip; detected {detected}/{detectable} of those with >= 8 words; missed e.g. {missed:?}"
        );
        assert!(encodable * 10 > total * 5);
        assert!(
            detected * 100 >= detectable * 97,
            "{enc:?} detection recall {detected}/{detectable}"
        );
    }
}

#[test]
fn detect_never_fires_on_unicode_vietnamese_or_english() {
    let Some(paras) = paragraphs_or_skip("detect_never_fires_on_unicode_vietnamese_or_english")
    else {
        return;
    };
    let mut fired = Vec::new();
    for p in &paras {
        if let Some(e) = legacy::detect(p) {
            fired.push((e, p.clone()));
        }
    }
    println!(
        "detect on {} real Unicode paragraphs: fired {} times",
        paras.len(),
        fired.len()
    );
    assert!(
        fired.is_empty(),
        "{:?}",
        fired.iter().take(12).collect::<Vec<_>>()
    );
}

const EUROPEAN: &[&str] = &[
    "El niño comió una canción en el baño con su señora.",
    "¿Qué hora es? Son las tres y media de la tarde.",
    "La información está disponible en el catálogo de la biblioteca pública.",
    "Mañana iremos a la montaña con nuestros compañeros de año.",
    "No se encontró el archivo; compruebe la ruta y vuelva a intentarlo.",
    "Él dijo que sí, pero después cambió de opinión rápidamente.",
    "Los niños pequeños juegan en el jardín junto al árbol más alto.",
    "Configuración de la conexión: dirección, contraseña y útil ayuda.",
    "Où est la bibliothèque? Très bien, à côté de l'église, déjà fermée.",
    "Le garçon a reçu une lettre de sa sœur aînée pendant l'été.",
    "Impossible d'ouvrir le fichier : accès refusé par le système.",
    "Les élèves étudient la géographie et l'histoire de la Révolution française.",
    "Ça dépend de la météo ; nous déciderons après le déjeuner.",
    "Veuillez vérifier les paramètres et réessayer l'opération.",
    "Noël approche et les enfants préparent des crêpes à la crème.",
    "La fenêtre s'est fermée brusquement à cause du vent très fort.",
    "Die Größe der Straße für über fünf Mädchen ist schön.",
    "Ich möchte gern ein Stück Kuchen und einen Kaffee, bitte.",
    "Die Datei konnte nicht geöffnet werden: Zugriff verweigert.",
    "Über den Wolken muss die Freiheit wohl grenzenlos sein.",
    "Äpfel, Birnen und Pflaumen wachsen im Garten hinter dem Haus.",
    "Bitte überprüfen Sie Ihre Einstellungen und versuchen Sie es erneut.",
    "Der Bürgermeister eröffnete die Sitzung um neun Uhr früh.",
    "Schöne Grüße aus München, wir sehen uns nächste Woche.",
    "O João não está em casa; ele foi à praia com a família.",
    "Ação, informação e educação são importantes para o país.",
    "Il caffè è pronto, però la città è ancora addormentata.",
    "Ü ö ä ß é è à ç ñ ó í ú ù ì ò",
    "señal añadir España años niño",
    "café naïve résumé déjà vu",
];

#[test]
fn detect_never_fires_on_european_text() {
    let mut strings: Vec<String> = EUROPEAN.iter().map(|s| (*s).to_owned()).collect();
    let mo = common::european_strings();
    if mo.is_empty() {
        println!(
            "detect_never_fires_on_european_text: no es/fr/de .mo files on this machine, using built-in sentences only"
        );
    }
    strings.extend(mo);
    let joined = strings.join(" ");
    let mut fired = Vec::new();
    for s in &strings {
        if let Some(e) = legacy::detect(s) {
            fired.push((e, s.clone()));
        }
    }
    println!(
        "detect on {} Spanish/French/German strings: fired {} times",
        strings.len(),
        fired.len()
    );
    assert!(
        fired.is_empty(),
        "{:?}",
        fired.iter().take(10).collect::<Vec<_>>()
    );
    assert_eq!(legacy::detect(&joined), None);
    // And normalization leaves them alone apart from whitespace.
    for s in EUROPEAN {
        assert_eq!(normalize_str(s), *s);
    }
}

type MakeTypo<'a> = &'a dyn Fn(&[char]) -> Option<String>;

#[test]
fn spelling_rules_agree_with_hunspell_vi() {
    let Some(words) = common::hunspell_words() else {
        println!(
            "spelling_rules_agree_with_hunspell_vi: SKIPPED, hunspell-vi not fetched (run crates/text/scripts/fetch-fixtures.sh)"
        );
        return;
    };
    // The list also holds ASCII acronyms and foreign words (ABC, GIF); judge only lower-case syllables.
    let syllables: Vec<String> = words
        .iter()
        .map(|w| w.nfc().collect::<String>())
        .filter(|w| {
            w.chars().all(|c| c.is_lowercase())
                && !w.chars().any(|c| matches!(c, 'f' | 'j' | 'w' | 'z'))
        })
        .collect();
    let rejected: Vec<&String> = syllables
        .iter()
        .filter(|w| !spell::is_valid_syllable(w))
        .collect();
    let accepted = syllables.len() - rejected.len();
    println!(
        "hunspell-vi: {accepted}/{} lower-case syllables accepted by the rules ({:.2}%); rejected: {:?}",
        syllables.len(),
        100.0 * accepted as f64 / syllables.len() as f64,
        rejected.iter().take(60).collect::<Vec<_>>()
    );
    assert!(accepted * 1000 >= syllables.len() * 990);

    // Typical typos, by kind; each kept only when hunspell-vi does not list it.
    let dict =
        spell::Dictionary::from_hunspell_dic(&format!("{}\n{}", words.len(), words.join("\n")));
    let strip_mark = |c: char| -> char {
        let m: String = c
            .to_string()
            .nfd()
            .filter(|&d| !matches!(d, '\u{302}' | '\u{306}' | '\u{31B}'))
            .collect();
        let m: String = m.nfc().collect();
        if c == 'đ' {
            'd'
        } else {
            m.chars().next().unwrap_or(c)
        }
    };
    let kinds: [(&str, MakeTypo); 3] = [
        ("doubled last letter", &|c: &[char]| {
            Some(c.iter().chain(c.last()).collect())
        }),
        ("swapped last two letters", &|c: &[char]| {
            let mut v = c.to_vec();
            let n = v.len();
            if n < 3 {
                return None;
            }
            v.swap(n - 1, n - 2);
            Some(v.iter().collect())
        }),
        ("dropped letter mark", &|c: &[char]| {
            let i = c.iter().position(|&x| strip_mark(x) != x)?;
            let mut v = c.to_vec();
            v[i] = strip_mark(v[i]);
            Some(v.iter().collect())
        }),
    ];
    for (kind, make) in kinds {
        let typos: Vec<String> = syllables
            .iter()
            .filter(|w| !w.is_ascii())
            .filter_map(|w| make(&w.chars().collect::<Vec<_>>()))
            .filter(|t| !dict.contains(t))
            .collect();
        let caught = typos
            .iter()
            .filter(|t| !spell::is_valid_syllable(t))
            .count();
        println!(
            "typos ({kind}) not in hunspell-vi: {caught}/{} rejected by the rules alone ({:.1}%), all by rules + list",
            typos.len(),
            100.0 * caught as f64 / typos.len().max(1) as f64
        );
        if kind != "dropped letter mark" {
            assert!(caught * 100 >= typos.len() * 90, "{kind}");
        }
    }

    let flags = spell::check_with("Nó nèn nền nhà", Some(&dict));
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].syllable, "nèn");
    assert!(
        flags[0].suggestions.contains(&"nền".to_owned()),
        "{:?}",
        flags[0].suggestions
    );
    println!(
        "\"nèn\" suggestions with hunspell-vi: {:?}",
        flags[0].suggestions
    );
}

#[test]
fn spelling_rules_flag_little_in_real_text() {
    let Some(paras) = paragraphs_or_skip("spelling_rules_flag_little_in_real_text") else {
        return;
    };
    let (mut syl, mut flagged) = (0usize, Vec::new());
    for p in vietnamese(&paras) {
        syl += tokenize::syllable_count(&p);
        flagged.extend(spell::check_with(&p, None).into_iter().map(|f| f.syllable));
    }
    println!(
        "rules flag {} of {syl} syllables in libreoffice-help-vi ({:.3}%), e.g. {:?}",
        flagged.len(),
        100.0 * flagged.len() as f64 / syl as f64,
        flagged.iter().take(40).collect::<Vec<_>>()
    );
    assert!(flagged.len() * 1000 < syl * 5);
}
