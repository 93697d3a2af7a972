//! Server-rendered SVG charts (no script, no CDN): grouped bars by month.

/// Grouped bars: for each label, one bar per series. `series` are (name, CSS class).
/// Everything written into the SVG is a number or a label made of digits and `-`, or one
/// of the given names, escaped.
pub fn grouped_bars(
    labels: &[String],
    series: &[(&str, &str)],
    values: &[Vec<i64>],
    title: &str,
) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    let (width, height, left, bottom, top) = (640.0_f64, 220.0_f64, 36.0_f64, 28.0_f64, 24.0_f64);
    let plot_h = height - bottom - top;
    let group_w = (width - left) / labels.len().max(1) as f64;
    let bar_w = (group_w * 0.8) / series.len().max(1) as f64;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    svg.push_str(&format!(
        r#"<text x="{left}" y="14" class="axis">{max}</text><line x1="{left}" y1="{top}" x2="{width}" y2="{top}" class="grid"/><line x1="{left}" y1="{}" x2="{width}" y2="{}" class="axis-line"/>"#,
        height - bottom,
        height - bottom
    ));
    for (i, label) in labels.iter().enumerate() {
        let x0 = left + group_w * i as f64 + group_w * 0.1;
        for (j, (name, class)) in series.iter().enumerate() {
            let v = values.get(j).and_then(|s| s.get(i)).copied().unwrap_or(0);
            let h = plot_h * v as f64 / max as f64;
            svg.push_str(&format!(
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" class="{}"><title>{} {}: {v}</title></rect>"#,
                x0 + bar_w * j as f64,
                height - bottom - h,
                bar_w.max(1.0) - 1.0,
                h,
                esc(class),
                esc(label),
                esc(name)
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{}" class="label">{}</text>"#,
            x0,
            height - 8.0,
            esc(label.get(5..).unwrap_or(label))
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_labels_are_escaped() {
        let svg = grouped_bars(
            &["2026-10".into(), "2026-11".into()],
            &[("found", "found"), ("<closed>", "closed")],
            &[vec![4, 2], vec![1, 0]],
            "trend",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("&lt;closed&gt;") && !svg.contains("<closed>"));
        assert_eq!(svg.matches("<rect").count(), 4);
    }
}
