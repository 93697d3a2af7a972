//! Uploaded attachments (R-EDU-2; DESIGN "photos have their location metadata stripped"):
//! identify a file by its bytes, enforce the size limit of its class, strip image metadata
//! and clean the file name. Pure code: storing the bytes is the caller's job.

/// What kind of attachment a file is; each class has its own size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadClass {
    Image,
    Document,
    Audio,
    Video,
}

impl UploadClass {
    /// A stable lowercase name, for storage and i18n keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Document => "document",
            Self::Audio => "audio",
            Self::Video => "video",
        }
    }
}

/// A file type recognised from the file's own bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub content_type: &'static str,
    /// Without the dot.
    pub extension: &'static str,
    pub class: UploadClass,
}

const fn file_type(
    content_type: &'static str,
    extension: &'static str,
    class: UploadClass,
) -> FileType {
    FileType {
        content_type,
        extension,
        class,
    }
}

const JPEG: FileType = file_type("image/jpeg", "jpg", UploadClass::Image);
const PNG: FileType = file_type("image/png", "png", UploadClass::Image);
const WEBP: FileType = file_type("image/webp", "webp", UploadClass::Image);
const PDF: FileType = file_type("application/pdf", "pdf", UploadClass::Document);
const DOCX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    UploadClass::Document,
);
const XLSX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    UploadClass::Document,
);
const PPTX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    UploadClass::Document,
);
const DOC: FileType = file_type("application/msword", "doc", UploadClass::Document);
const XLS: FileType = file_type("application/vnd.ms-excel", "xls", UploadClass::Document);
const MP3: FileType = file_type("audio/mpeg", "mp3", UploadClass::Audio);
const M4A: FileType = file_type("audio/mp4", "m4a", UploadClass::Audio);
const WAV: FileType = file_type("audio/wav", "wav", UploadClass::Audio);
const MP4: FileType = file_type("video/mp4", "mp4", UploadClass::Video);
const MOV: FileType = file_type("video/quicktime", "mov", UploadClass::Video);
const WEBM: FileType = file_type("video/webm", "webm", UploadClass::Video);
const MKV: FileType = file_type("video/x-matroska", "mkv", UploadClass::Video);

/// Identify by magic bytes (never trust the client's name or MIME): JPEG, PNG, WebP, PDF,
/// DOCX/XLSX/PPTX (a ZIP holding `[Content_Types].xml` and a `word/`, `xl/` or `ppt/` part;
/// a plain ZIP is refused), legacy DOC/XLS (an OLE2 compound file with a `WordDocument` or
/// `Workbook` stream), MP3 (ID3 tag or MPEG layer III frame sync), M4A/MP4/MOV (an `ftyp`
/// box with a known audio/video brand; HEIC/AVIF and other ISO-BMFF brands are refused),
/// WAV (RIFF WAVE), WebM/MKV (EBML header). Plain text and anything else is `None`.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    let b = bytes;
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(JPEG);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(PNG);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" {
        return match &b[8..12] {
            b"WEBP" => Some(WEBP),
            b"WAVE" => Some(WAV),
            _ => None,
        };
    }
    if b.starts_with(b"%PDF-") {
        return Some(PDF);
    }
    if b.starts_with(b"PK\x03\x04") {
        return sniff_ooxml(b);
    }
    if b.starts_with(&CFB_SIGNATURE) {
        return sniff_cfb(b);
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return sniff_ftyp(&b[8..12]);
    }
    if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return sniff_ebml(b);
    }
    if b.len() >= 10 && b.starts_with(b"ID3") && (2..=4).contains(&b[3]) {
        return Some(MP3);
    }
    if is_mp3_frame(b) {
        return Some(MP3);
    }
    None
}

/// An MPEG audio layer III frame header (MPEG 1, 2 or 2.5) with a valid bitrate and rate.
fn is_mp3_frame(b: &[u8]) -> bool {
    if b.len() < 4 || b[0] != 0xFF || b[1] & 0xE0 != 0xE0 {
        return false;
    }
    let version = (b[1] >> 3) & 0b11;
    let layer = (b[1] >> 1) & 0b11;
    let bitrate = b[2] >> 4;
    let rate = (b[2] >> 2) & 0b11;
    version != 0b01 && layer == 0b01 && bitrate != 0 && bitrate != 0xF && rate != 0b11
}

/// ISO base media file format: audio, MP4 video or QuickTime by the major brand.
fn sniff_ftyp(brand: &[u8]) -> Option<FileType> {
    match brand {
        b"M4A " | b"M4B " => Some(M4A),
        b"qt  " => Some(MOV),
        b"isom" | b"iso2" | b"iso3" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
        | b"M4V " | b"M4VH" | b"M4VP" | b"3gp4" | b"3gp5" | b"3gp6" | b"3gp7" | b"3g2a"
        | b"mmp4" | b"MSNV" | b"dash" | b"f4v " => Some(MP4),
        // HEIC/AVIF photos (heic, mif1, avif, …) carry Exif we do not strip: refused.
        _ => None,
    }
}

/// Matroska family: the EBML header's DocType tells WebM from Matroska.
fn sniff_ebml(b: &[u8]) -> Option<FileType> {
    let head = &b[..b.len().min(64)];
    // The DocType element (0x4282): its size, then the name.
    let doc_type = find(head, b"\x42\x82")
        .and_then(|at| {
            let size = *head.get(at + 2)?;
            let size_len = usize::try_from(size.leading_zeros()).ok()? + 1;
            head.get(at + 2 + size_len..)
        })
        .unwrap_or_default();
    if doc_type.starts_with(b"webm") {
        Some(WEBM)
    } else if doc_type.starts_with(b"matroska") {
        Some(MKV)
    } else {
        None
    }
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Office Open XML: the entry names in the ZIP's local and central directory headers.
fn sniff_ooxml(b: &[u8]) -> Option<FileType> {
    let mut content_types = false;
    let (mut word, mut xl, mut ppt) = (false, false, false);
    let (mut word_main, mut xl_main, mut ppt_main) = (false, false, false);
    let mut at = 0;
    while let Some(found) = find(&b[at..], b"PK") {
        let start = at + found;
        at = start + 2;
        let (len_at, name_at) = match b.get(start + 2..start + 4) {
            Some([3, 4]) => (start + 26, start + 30),
            Some([1, 2]) => (start + 28, start + 46),
            _ => continue,
        };
        let Some(len) = u16_le(b, len_at) else { break };
        let Some(name) = b.get(name_at..name_at + usize::from(len)) else {
            continue;
        };
        match name {
            b"[Content_Types].xml" => content_types = true,
            b"word/document.xml" => word_main = true,
            b"xl/workbook.xml" => xl_main = true,
            b"ppt/presentation.xml" => ppt_main = true,
            _ => {}
        }
        word |= name.starts_with(b"word/");
        xl |= name.starts_with(b"xl/");
        ppt |= name.starts_with(b"ppt/");
    }
    if !content_types {
        return None;
    }
    if word_main {
        Some(DOCX)
    } else if xl_main {
        Some(XLSX)
    } else if ppt_main {
        Some(PPTX)
    } else if word {
        Some(DOCX)
    } else if xl {
        Some(XLSX)
    } else if ppt {
        Some(PPTX)
    } else {
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// OLE2 compound file: walk the directory chain for the stream that names the format.
fn sniff_cfb(b: &[u8]) -> Option<FileType> {
    const END: u32 = 0xFFFF_FFFA; // every sector id from here up is a marker, not a sector
    let shift = u16_le(b, 0x1E)?;
    if shift != 9 && shift != 12 {
        return None;
    }
    let sector_size = 1usize << shift;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (usize::try_from(id).ok()? + 1).checked_mul(sector_size)?;
        b.get(start..start.checked_add(sector_size)?)
    };
    let per_sector = sector_size / 4;
    // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    let fat_count = usize::try_from(u32_le(b, 0x2C)?).ok()?;
    let mut fat_sectors = Vec::new();
    for i in 0..109 {
        let id = u32_le(b, 0x4C + 4 * i)?;
        if id < END {
            fat_sectors.push(id);
        }
    }
    let mut difat = u32_le(b, 0x44)?;
    let mut hops = 0;
    while difat < END && fat_sectors.len() < fat_count && hops < 1 << 16 {
        let s = sector(difat)?;
        for i in 0..per_sector - 1 {
            let id = u32_le(s, 4 * i)?;
            if id < END {
                fat_sectors.push(id);
            }
        }
        difat = u32_le(s, sector_size - 4)?;
        hops += 1;
    }
    let next = |id: u32| -> Option<u32> {
        let id = usize::try_from(id).ok()?;
        let fat = sector(*fat_sectors.get(id / per_sector)?)?;
        u32_le(fat, 4 * (id % per_sector))
    };
    let mut dir = u32_le(b, 0x30)?;
    let mut hops = 0;
    while dir < END && hops < 1 << 16 {
        let s = sector(dir)?;
        for entry in s.chunks_exact(128) {
            let len = usize::from(u16_le(entry, 0x40)?).min(64);
            let object_type = entry[0x42];
            if object_type != 2 || len < 2 {
                continue;
            }
            let name: Vec<u16> = entry[..len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name = String::from_utf16_lossy(&name);
            match name.as_str() {
                "WordDocument" => return Some(DOC),
                "Workbook" | "Book" => return Some(XLS),
                _ => {}
            }
        }
        dir = next(dir)?;
        hops += 1;
    }
    None
}

/// Upper size limits in bytes, per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    pub image: u64,
    pub document: u64,
    pub audio: u64,
    pub video: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Self {
            image: 10 * MIB,
            document: 20 * MIB,
            audio: 100 * MIB,
            video: 500 * MIB,
        }
    }
}

impl UploadLimits {
    /// The limit for one class.
    pub fn for_class(&self, class: UploadClass) -> u64 {
        match class {
            UploadClass::Image => self.image,
            UploadClass::Document => self.document,
            UploadClass::Audio => self.audio,
            UploadClass::Video => self.video,
        }
    }
}

/// An accepted upload: its type, its bytes with metadata removed, a cleaned file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedUpload {
    pub file_type: FileType,
    pub bytes: Vec<u8>,
    pub file_name: String,
}

/// Longest cleaned file name, in characters, extension included.
const MAX_NAME_CHARS: usize = 120;

/// Checks one uploaded file: empty → `Err("error.upload_empty")`, unknown type (or an image
/// that cannot be parsed) → `Err("error.upload_type")`, over the limit of its class →
/// `Err("error.upload_too_large")`. Strips metadata from images. The file name is trimmed,
/// path components removed (keep the part after the last `/` or `\`), control characters
/// removed, cut to 120 chars, and its extension replaced by the sniffed one; an empty name
/// becomes `attachment.<ext>`.
pub fn accept(
    file_name: &str,
    bytes: Vec<u8>,
    limits: &UploadLimits,
) -> Result<AcceptedUpload, &'static str> {
    if bytes.is_empty() {
        return Err("error.upload_empty");
    }
    let file_type = sniff(&bytes).ok_or("error.upload_type")?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > limits.for_class(file_type.class) {
        return Err("error.upload_too_large");
    }
    let bytes = if file_type.class == UploadClass::Image {
        strip_metadata(&bytes, &file_type).ok_or("error.upload_type")?
    } else {
        bytes
    };
    Ok(AcceptedUpload {
        file_type,
        bytes,
        file_name: clean_file_name(file_name, file_type.extension),
    })
}

/// Bidirectional formatting characters, which can disguise a name (`gpj.exe` shown reversed).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The file name as kept: see `accept`.
pub fn clean_file_name(name: &str, extension: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let base: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let base = base.trim();
    let stem = match base.rfind('.') {
        Some(dot) => &base[..dot],
        None => base,
    };
    // No hidden files, no trailing dots or spaces (Windows drops them).
    let stem = stem.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let room = MAX_NAME_CHARS - 1 - extension.chars().count();
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{extension}")
}

/// Removes location and other metadata from an image; other types are returned unchanged.
/// JPEG — drops APP1 (Exif, XMP), APP2 MPF, APP12, APP13 and COM segments and whatever
/// follows EOI (MPF secondary images and vendor trailers carry their own Exif), keeping
/// every other segment and the scan data byte for byte; PNG — drops `eXIf`, `tEXt`, `zTXt`
/// and `iTXt` chunks and anything after `IEND`; WebP — drops `EXIF` and `XMP ` chunks,
/// clears the EXIF/XMP flags in `VP8X` and fixes the RIFF size. `None` when the image cannot
/// be parsed.
pub fn strip_metadata(bytes: &[u8], file_type: &FileType) -> Option<Vec<u8>> {
    match *file_type {
        JPEG => strip_jpeg(bytes),
        PNG => strip_png(bytes),
        WEBP => strip_webp(bytes),
        _ if file_type.class == UploadClass::Image => None,
        _ => Some(bytes.to_vec()),
    }
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut at = 2;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        // Fill bytes: any number of 0xFF before the marker code.
        while *b.get(at + 1)? == 0xFF {
            at += 1;
        }
        let marker = b[at + 1];
        match marker {
            0xD9 => {
                out.extend_from_slice(&b[at..at + 2]);
                return Some(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&b[at..at + 2]);
                at += 2;
                continue;
            }
            0x00 | 0xD8 => return None,
            _ => {}
        }
        let len = usize::from(u16_be(b, at + 2)?);
        if len < 2 {
            return None;
        }
        let end = at + 2 + len;
        let segment = b.get(at..end)?;
        let payload = &segment[4..];
        let drop = match marker {
            0xE1 | 0xEC | 0xED | 0xFE => true,
            0xE2 => payload.starts_with(b"MPF\0"),
            _ => false,
        };
        if !drop {
            out.extend_from_slice(segment);
        }
        at = end;
        if marker == 0xDA {
            // Entropy-coded data: 0xFF is followed by 0x00 (stuffing), a restart marker or
            // fill bytes; any other marker ends the scan.
            let scan_start = at;
            loop {
                let ff = at + b.get(at..)?.iter().position(|&x| x == 0xFF)?;
                let mut next = ff + 1;
                while *b.get(next)? == 0xFF {
                    next += 1;
                }
                if matches!(b[next], 0x00 | 0xD0..=0xD7) {
                    at = next + 1;
                } else {
                    out.extend_from_slice(&b[scan_start..ff]);
                    at = ff;
                    break;
                }
            }
        }
    }
}

const PNG_DROPPED: [&[u8; 4]; 4] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt"];

fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIGNATURE) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIGNATURE);
    let mut at = SIGNATURE.len();
    loop {
        let len = usize::try_from(u32_be(b, at)?).ok()?;
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(at..end)?;
        let kind = &chunk[4..8];
        if !PNG_DROPPED.iter().any(|d| d.as_slice() == kind) {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Some(out);
        }
        at = end;
    }
}

fn strip_webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return None;
    }
    let riff_end = usize::try_from(u32_le(b, 4)?).ok()?.checked_add(8)?;
    let body = b.get(12..riff_end)?;
    let mut out = Vec::with_capacity(riff_end);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut at = 0;
    while at < body.len() {
        let len = usize::try_from(u32_le(body, at + 4)?).ok()?;
        let padded = len.checked_add(len & 1)?;
        let end = at.checked_add(8)?.checked_add(padded)?;
        let chunk = body.get(at..end)?;
        match &chunk[..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = out.len();
                out.extend_from_slice(chunk);
                // Flags byte: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04, animation 0x02.
                *out.get_mut(start + 8)? &= !(0x08 | 0x04);
            }
            _ => out.extend_from_slice(chunk),
        }
        at = end;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                let mask = (crc & 1).wrapping_neg();
                crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
        !crc
    }

    #[test]
    fn crc32_matches_the_reference_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    const GPS: &[u8] = b"GPS 31.2304N 121.4737E";

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    fn app0() -> Vec<u8> {
        segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
    }

    fn dqt() -> Vec<u8> {
        let mut table = vec![0u8];
        table.extend(1..=64u8);
        segment(0xDB, &table)
    }

    fn sos_and_scan() -> Vec<u8> {
        let mut s = segment(0xDA, &[1, 1, 0, 0, 63, 0]);
        // Scan data with a stuffed 0xFF 0x00 and a restart marker.
        s.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        s
    }

    fn exif_segment() -> Vec<u8> {
        let mut payload = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
        payload.extend_from_slice(GPS);
        segment(0xE1, &payload)
    }

    fn jpeg_with_exif() -> (Vec<u8>, Vec<u8>) {
        let mut clean = vec![0xFF, 0xD8];
        clean.extend(app0());
        clean.extend(dqt());
        clean.extend(sos_and_scan());
        clean.extend([0xFF, 0xD9]);

        let mut full = vec![0xFF, 0xD8];
        full.extend(app0());
        full.extend(exif_segment());
        full.extend(segment(0xFE, b"comment from the camera"));
        full.extend(segment(0xED, b"Photoshop 3.0\0IPTC city"));
        full.extend(dqt());
        full.extend(sos_and_scan());
        full.extend([0xFF, 0xD9]);
        (full, clean)
    }

    fn has(haystack: &[u8], needle: &[u8]) -> bool {
        find(haystack, needle).is_some()
    }

    #[test]
    fn jpeg_exif_is_removed_and_the_rest_is_intact() {
        let (full, clean) = jpeg_with_exif();
        assert!(has(&full, GPS));
        assert_eq!(sniff(&full), Some(JPEG));
        let stripped = strip_metadata(&full, &JPEG).unwrap();
        assert!(!has(&stripped, GPS));
        assert!(!has(&stripped, b"Exif"));
        assert!(!has(&stripped, b"comment"));
        assert!(!has(&stripped, b"IPTC"));
        assert_eq!(stripped, clean);
        // Already clean: unchanged.
        assert_eq!(strip_metadata(&clean, &JPEG).unwrap(), clean);
    }

    #[test]
    fn jpeg_keeps_icc_and_drops_trailers_and_mpf() {
        let (_, clean) = jpeg_with_exif();
        let icc = segment(0xE2, b"ICC_PROFILE\0\x01\x01profile");
        let mpf = segment(0xE2, b"MPF\0MM\0\x2a");
        let mut file = vec![0xFF, 0xD8];
        file.extend(&icc);
        file.extend(&mpf);
        file.extend(&clean[2..]);
        // A secondary image after EOI with its own Exif.
        file.extend([0xFF, 0xD8]);
        file.extend(exif_segment());
        file.extend([0xFF, 0xD9]);
        let stripped = strip_metadata(&file, &JPEG).unwrap();
        assert!(!has(&stripped, GPS));
        assert!(!has(&stripped, b"MPF\0"));
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(&icc);
        expected.extend(&clean[2..]);
        assert_eq!(stripped, expected);
    }

    #[test]
    fn jpeg_with_progressive_scans_and_metadata_between_them() {
        let mut file = vec![0xFF, 0xD8];
        file.extend(app0());
        file.extend(sos_and_scan());
        file.extend(segment(0xFE, b"between scans"));
        file.extend(segment(
            0xC4,
            &[0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7],
        ));
        file.extend(sos_and_scan());
        file.extend([0xFF, 0xD9]);
        let stripped = strip_metadata(&file, &JPEG).unwrap();
        assert!(!has(&stripped, b"between scans"));
        assert_eq!(stripped.len(), file.len() - (4 + b"between scans".len()));
        assert!(stripped.ends_with(&[0x56, 0xFF, 0xD9]));
    }

    #[test]
    fn malformed_jpeg_is_refused() {
        let (full, _) = jpeg_with_exif();
        // Truncated in the middle of the Exif segment.
        assert_eq!(strip_metadata(&full[..30], &JPEG), None);
        // No EOI.
        assert_eq!(strip_metadata(&full[..full.len() - 2], &JPEG), None);
        // Garbage where a marker should be.
        assert_eq!(
            strip_metadata(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0x00], &JPEG),
            None
        );
        assert_eq!(
            accept("x.jpg", full[..30].to_vec(), &UploadLimits::default()),
            Err("error.upload_type")
        );
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    fn png(with_metadata: bool) -> Vec<u8> {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        p.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        if with_metadata {
            let mut exif = b"MM\0\x2a\0\0\0\x08".to_vec();
            exif.extend_from_slice(GPS);
            p.extend(png_chunk(b"eXIf", &exif));
            p.extend(png_chunk(b"tEXt", b"Comment\0taken at school gate"));
            p.extend(png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x/>"));
        }
        p.extend(png_chunk(
            b"IDAT",
            &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        ));
        if with_metadata {
            p.extend(png_chunk(b"zTXt", b"Author\0\0x"));
        }
        p.extend(png_chunk(b"IEND", &[]));
        p
    }

    #[test]
    fn png_text_and_exif_chunks_are_removed() {
        let full = png(true);
        assert_eq!(sniff(&full), Some(PNG));
        assert!(has(&full, GPS));
        let stripped = strip_metadata(&full, &PNG).unwrap();
        assert_eq!(stripped, png(false));
        for kind in PNG_DROPPED {
            assert!(!has(&stripped, kind));
        }
        // The end chunk keeps its well-known CRC.
        assert!(stripped.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
        // Data after IEND is dropped.
        let mut trailing = full.clone();
        trailing.extend_from_slice(GPS);
        assert_eq!(strip_metadata(&trailing, &PNG).unwrap(), png(false));
        // Truncated: refused.
        assert_eq!(strip_metadata(&full[..full.len() - 3], &PNG), None);
    }

    fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = kind.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn riff(form: &[u8; 4], chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut r = b"RIFF".to_vec();
        r.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        r.extend_from_slice(form);
        r.extend(body);
        r
    }

    #[test]
    fn webp_exif_and_xmp_are_removed_and_flags_cleared() {
        // VP8X: flags (ICC|EXIF|XMP = 0x2C), 3 reserved, 24-bit width-1 and height-1.
        let vp8x = |flags: u8| riff_chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let iccp = riff_chunk(b"ICCP", b"icc");
        let vp8 = riff_chunk(b"VP8 ", &[0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 1, 0, 1, 0]);
        let mut exif = b"MM\0\x2a\0\0\0\x08".to_vec();
        exif.extend_from_slice(GPS);
        let full = riff(
            b"WEBP",
            &[
                vp8x(0x2C),
                iccp.clone(),
                vp8.clone(),
                riff_chunk(b"EXIF", &exif),
                riff_chunk(b"XMP ", b"<x:xmpmeta/>"),
            ],
        );
        assert_eq!(sniff(&full), Some(WEBP));
        let stripped = strip_metadata(&full, &WEBP).unwrap();
        assert!(!has(&stripped, GPS));
        assert!(!has(&stripped, b"xmpmeta"));
        assert_eq!(stripped, riff(b"WEBP", &[vp8x(0x20), iccp, vp8]));
        assert_eq!(
            usize::try_from(u32_le(&stripped, 4).unwrap()).unwrap(),
            stripped.len() - 8
        );
        // A chunk running past the end: refused.
        let mut broken = full.clone();
        broken.truncate(full.len() - 4);
        assert_eq!(strip_metadata(&broken, &WEBP), None);
    }

    fn zip(names: &[&str]) -> Vec<u8> {
        let mut z = Vec::new();
        for name in names {
            z.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
            z.extend_from_slice(&[0; 4]); // crc
            z.extend_from_slice(&2u32.to_le_bytes());
            z.extend_from_slice(&2u32.to_le_bytes());
            z.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
            z.extend_from_slice(&0u16.to_le_bytes());
            z.extend_from_slice(name.as_bytes());
            z.extend_from_slice(b"<>");
        }
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0; 18]);
        z
    }

    fn cfb(stream: &str) -> Vec<u8> {
        let mut f = vec![0u8; 512 * 3];
        f[..8].copy_from_slice(&CFB_SIGNATURE);
        f[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        f[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        f[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        f[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 0..109 {
            let id: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&id.to_le_bytes());
        }
        // FAT (sector 0 at 512): sector 0 is the FAT, sector 1 ends its chain.
        f[512..516].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        f[516..520].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for i in 2..128 {
            f[512 + 4 * i..516 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        // Directory (sector 1 at 1024): root entry, then the stream.
        let mut entry = |index: usize, name: &str, kind: u8| {
            let at = 1024 + 128 * index;
            let units: Vec<u16> = name.encode_utf16().collect();
            for (i, u) in units.iter().enumerate() {
                f[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            let len = u16::try_from(2 * units.len() + 2).unwrap();
            f[at + 0x40..at + 0x42].copy_from_slice(&len.to_le_bytes());
            f[at + 0x42] = kind;
        };
        entry(0, "Root Entry", 5);
        entry(1, stream, 2);
        f
    }

    #[test]
    fn sniffs_every_accepted_type() {
        let (jpeg, _) = jpeg_with_exif();
        assert_eq!(sniff(&jpeg), Some(JPEG));
        assert_eq!(sniff(&png(false)), Some(PNG));
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some(PDF));
        let docx = zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(sniff(&docx), Some(DOCX));
        let xlsx = zip(&[
            "[Content_Types].xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ]);
        assert_eq!(sniff(&xlsx), Some(XLSX));
        let pptx = zip(&["[Content_Types].xml", "ppt/presentation.xml"]);
        assert_eq!(sniff(&pptx), Some(PPTX));
        assert_eq!(sniff(&cfb("WordDocument")), Some(DOC));
        assert_eq!(sniff(&cfb("Workbook")), Some(XLS));
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\x10rest"), Some(MP3));
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64, 0, 0]), Some(MP3));
        let ftyp = |brand: &[u8; 4]| {
            let mut f = b"\0\0\0\x18ftyp".to_vec();
            f.extend_from_slice(brand);
            f.extend_from_slice(b"\0\0\0\0isommp42");
            f
        };
        assert_eq!(sniff(&ftyp(b"M4A ")), Some(M4A));
        assert_eq!(sniff(&ftyp(b"isom")), Some(MP4));
        assert_eq!(sniff(&ftyp(b"mp42")), Some(MP4));
        assert_eq!(sniff(&ftyp(b"qt  ")), Some(MOV));
        let wav = riff(
            b"WAVE",
            &[riff_chunk(b"fmt ", &[0; 16]), riff_chunk(b"data", &[0; 4])],
        );
        assert_eq!(sniff(&wav), Some(WAV));
        let ebml = |doc_type: &[u8]| {
            let mut e = vec![
                0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82,
            ];
            e.push(0x80 | u8::try_from(doc_type.len()).unwrap());
            e.extend_from_slice(doc_type);
            e
        };
        assert_eq!(sniff(&ebml(b"webm")), Some(WEBM));
        assert_eq!(sniff(&ebml(b"matroska")), Some(MKV));

        for t in [JPEG, PNG, WEBP, PDF, DOCX, XLSX, PPTX, DOC, XLS] {
            assert!(matches!(
                t.class,
                UploadClass::Image | UploadClass::Document
            ));
        }
        assert_eq!(M4A.class, UploadClass::Audio);
        assert_eq!(MOV.class, UploadClass::Video);
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"hello, this is plain text\n"), None);
        assert_eq!(sniff(b"<html><body>x</body></html>"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        // A plain ZIP, and an OOXML-looking ZIP without [Content_Types].xml.
        assert_eq!(sniff(&zip(&["a.txt", "b/c.exe"])), None);
        assert_eq!(sniff(&zip(&["word/document.xml"])), None);
        // An OLE2 file that is neither Word nor Excel (an MSI, an Outlook message…).
        assert_eq!(sniff(&cfb("__properties_version1.0")), None);
        assert_eq!(sniff(&CFB_SIGNATURE), None);
        // HEIC/AVIF photos are ISO-BMFF too but are not videos.
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), None);
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1"), None);
        // RIFF that is neither WebP nor WAVE (AVI).
        assert_eq!(sniff(&riff(b"AVI ", &[riff_chunk(b"LIST", &[0; 4])])), None);
        // ADTS AAC frame sync (layer bits 00) is not MP3.
        assert_eq!(sniff(&[0xFF, 0xF1, 0x50, 0x80, 0, 0]), None);
        // EBML without a known DocType.
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x80]), None);
    }

    #[test]
    fn accept_checks_emptiness_type_and_limits() {
        let limits = UploadLimits::default();
        assert_eq!(limits.image, 10 * 1024 * 1024);
        assert_eq!(limits.document, 20 * 1024 * 1024);
        assert_eq!(limits.audio, 100 * 1024 * 1024);
        assert_eq!(limits.video, 500 * 1024 * 1024);

        assert_eq!(
            accept("a.jpg", Vec::new(), &limits),
            Err("error.upload_empty")
        );
        assert_eq!(
            accept("photo.jpg", b"just some text, renamed".to_vec(), &limits),
            Err("error.upload_type")
        );

        let (jpeg, clean) = jpeg_with_exif();
        let small = UploadLimits {
            image: u64::try_from(jpeg.len() - 1).unwrap(),
            ..limits
        };
        assert_eq!(
            accept("a.jpg", jpeg.clone(), &small),
            Err("error.upload_too_large")
        );
        let exact = UploadLimits {
            image: u64::try_from(jpeg.len()).unwrap(),
            ..limits
        };
        let accepted = accept("IMG_0001.JPG", jpeg, &exact).unwrap();
        assert_eq!(accepted.file_type, JPEG);
        assert_eq!(accepted.bytes, clean);
        assert_eq!(accepted.file_name, "IMG_0001.jpg");

        // Non-images pass through untouched, under their own class limit.
        let pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        let doc_limit = UploadLimits {
            document: 4,
            ..limits
        };
        assert_eq!(
            accept("a.pdf", pdf.clone(), &doc_limit),
            Err("error.upload_too_large")
        );
        let accepted = accept("讲座笔记.pdf", pdf.clone(), &limits).unwrap();
        assert_eq!(accepted.bytes, pdf);
        assert_eq!(accepted.file_name, "讲座笔记.pdf");
        assert_eq!(accepted.file_type.class, UploadClass::Document);
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd.jpg", "jpg"), "passwd.jpg");
        assert_eq!(
            clean_file_name("C:\\Users\\li\\照片.JPEG", "jpg"),
            "照片.jpg"
        );
        assert_eq!(clean_file_name("  report.exe  ", "pdf"), "report.pdf");
        assert_eq!(clean_file_name("no extension", "png"), "no extension.png");
        assert_eq!(clean_file_name("a\u{0}b\r\nc\t.txt", "pdf"), "abc.pdf");
        assert_eq!(
            clean_file_name("invoice\u{202E}fdp.exe", "pdf"),
            "invoicefdp.pdf"
        );
        assert_eq!(clean_file_name("archive.tar.gz", "pdf"), "archive.tar.pdf");
        assert_eq!(clean_file_name("", "pdf"), "attachment.pdf");
        assert_eq!(clean_file_name("   ", "pdf"), "attachment.pdf");
        assert_eq!(clean_file_name("dir/", "mp4"), "attachment.mp4");
        assert_eq!(clean_file_name("..", "mp4"), "attachment.mp4");
        assert_eq!(clean_file_name(".bashrc", "pdf"), "attachment.pdf");
        assert_eq!(clean_file_name("...hidden.doc", "doc"), "hidden.doc");
        let long = "长".repeat(300) + ".docx";
        let cleaned = clean_file_name(&long, "docx");
        assert_eq!(cleaned.chars().count(), 120);
        assert!(cleaned.ends_with("长.docx"));

        let accepted = accept(
            "../../etc/passwd.jpg",
            jpeg_with_exif().0,
            &UploadLimits::default(),
        )
        .unwrap();
        assert_eq!(accepted.file_name, "passwd.jpg");
        // The sniffed extension wins over the claimed one.
        let accepted = accept("evil.exe", png(false), &UploadLimits::default()).unwrap();
        assert_eq!(accepted.file_name, "evil.png");
        assert_eq!(accepted.file_type.content_type, "image/png");
    }
}
