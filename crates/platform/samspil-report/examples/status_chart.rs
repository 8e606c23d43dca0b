//! Prints the status chart of the seeds' example, to look at:
//! `cargo run -p samspil-report --example status_chart > chart.svg`.
//! With the argument `edge-cases` it adds the awkward ones: narrow
//! segments, a zero total, a long label, and markup in a label.

use samspil_report::{ChartLabels, StatusBar, status_chart_svg};

fn main() {
    let mut bars = vec![
        StatusBar::new(
            "Udskift kommunens organisationscertifikat med OCES3-certifikat",
            27,
            31,
            40,
        ),
        StatusBar::new("Etabler brugeradministration på KLIK", 35, 8, 55),
    ];
    if std::env::args().any(|arg| arg == "edge-cases") {
        bars.extend([
            StatusBar::new("Næsten færdig", 95, 2, 1),
            StatusBar::new("Ny opgave uden svar endnu", 0, 0, 0),
            StatusBar::new(
                "Tilpas kommunens lokale systemer og arbejdsgange til den nye fælleskommunale \
                 løsning for brugerstyring, inklusive test og dokumentation",
                10,
                20,
                68,
            ),
            StatusBar::new("<script>alert('x')</script> & co", 98, 0, 0),
        ]);
    }
    print!("{}", status_chart_svg(&bars, &ChartLabels::danish()));
}
