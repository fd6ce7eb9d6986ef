"""Text extraction: bytes in, per-page text out. Pure functions: no models, no database.

Routing by content type (documents.filetypes.detect_type, never the file name):
- PDF: per page, the text layer (pypdfium2: exact, ~1,000 pages/s); pages without a usable layer
  are rendered at settings.OCR_DPI and OCR'd (documents.ocr). Encryption, JavaScript and the page
  count are checked with pikepdf before any page is read or rendered.
- Images: OCR, after checking the declared pixel count (the header, before decoding).
- DOCX, HWPX, HWP 5: documents.wordproc (ZIP bombs refused from the directory before parsing).
- Text/Markdown: decoded as is (UTF-8, UTF-16 with BOM, CP949), Markdown syntax kept.
Every refusal is a DomainError with a stable code (aiserver.errors.ErrorCode).
"""

from __future__ import annotations

import io
import logging
import math
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from aiserver.errors import DomainError, ErrorCode
from documents import limits, ocr, wordproc
from documents.filetypes import IMAGE_TYPES, decode_text, detect_type

logger = logging.getLogger(__name__)

MIN_LAYER_CHARS = 20  # fewer non-space characters than this: the page is a scan, OCR it
MAX_BAD_CHAR_SHARE = 0.10  # more unreadable characters than this: broken font encoding, OCR it
SCANNED_PAGE_COVERAGE = 0.5  # an image covering half the page ...
SCANNED_PAGE_MAX_CHARS = 100  # ... with only a stamp of text ("Scanned by ..."): OCR it
LOW_RES_SCAN_DPI = 175  # a scan below this is rendered at its own resolution
# pdfium is not thread-safe: one document operation at a time per process.
_PDFIUM_LOCK = threading.Lock()
# Called between OCR'd pages; raises to stop the extraction (the stage's task was superseded or cancelled).
Checkpoint = Callable[[], None]


@dataclass
class ExtractedPage:
    number: int  # 1-based
    text: str
    ocr: bool  # True if this page's text came from OCR


@dataclass
class Extraction:
    file_type: str  # from detect_type
    pages: list[ExtractedPage] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def page_starts(self) -> list[int]:
        """Where each page begins in `text`; an empty page (left out of `text`) begins where the next does."""
        starts, position, joined = [], 0, False
        for page in self.pages:
            start = position + (2 if joined else 0)
            starts.append(start)
            if page.text:
                position, joined = start + len(page.text), True
        return starts

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def ocr_pages(self) -> list[int]:
        return [page.number for page in self.pages if page.ocr]


def extract_text(
    data: bytes, *, declared_type: str | None = None, between_pages: Checkpoint | None = None
) -> Extraction:
    """Extract the text of a document. `declared_type` (extension or MIME hint) is only logged when
    it disagrees with the bytes: the bytes decide. `between_pages` runs before each page is OCR'd
    (~1-2 s a page); what it raises stops the extraction there."""
    check_file_size(data)
    file_type = detect_type(data)
    if declared_type and not _declared_matches(declared_type, file_type):
        logger.info("declared type %r but content is %s; using the content", declared_type, file_type)
    extractor = _EXTRACTORS["image" if file_type in IMAGE_TYPES else file_type]
    keep_spaces = file_type == "text"  # Markdown: two trailing spaces are a line break
    pages = [ExtractedPage(p.number, _clean(p.text, keep_spaces), p.ocr) for p in extractor(data, between_pages)]
    extraction = Extraction(file_type, pages)
    if not any(page.text.strip() for page in pages):
        raise DomainError(ErrorCode.NO_TEXT_FOUND, "No text was found in the document, even with OCR.")
    if sum(len(page.text) for page in pages) > settings.MAX_TEXT_CHARS:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE, f"The document holds more than {settings.MAX_TEXT_CHARS:,} characters."
        )
    return extraction


def check_file_size(data: bytes) -> None:
    if not data:
        raise DomainError(ErrorCode.EMPTY_FILE, "The file is empty.")
    limits.check_file_size(len(data))


def _declared_matches(declared: str, file_type: str) -> bool:
    hint = declared.lower().rsplit("/", 1)[-1].lstrip(".")
    aliases = {"jpg": "jpeg", "tif": "tiff", "md": "text", "markdown": "text", "txt": "text", "plain": "text"}
    return aliases.get(hint, hint) == file_type or file_type in hint


def _clean(text: str, keep_spaces: bool = False) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not keep_spaces:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n")


# --------------------------------------------------------------------------------------------- PDF
def pdf_active_content(pdf: Any) -> str | None:
    """Describe the first JavaScript or Launch action in a pikepdf.Pdf, or None.

    Every action is a dictionary with /S (or a bare /JS string), wherever it hangs (/OpenAction, /AA
    on the catalog, pages, annotations and fields, outline items, /Next chains), so all objects are
    scanned rather than a list of known places.
    """
    import pikepdf

    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        return "document-level JavaScript (/Names /JavaScript)"
    stack: list[Any] = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if "/JS" in obj or obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
                return f"{obj.get('/S', '/JS')} action"
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        # Indirect children are in pdf.objects already; only descend into direct ones.
        stack.extend(c for c in children if isinstance(c, pikepdf.Dictionary | pikepdf.Array) and not c.is_indirect)
    return None


def check_pdf(data: bytes) -> int:
    """Refuse encrypted, damaged, too long or active PDFs before reading any page; return the page count."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise DomainError(ErrorCode.ENCRYPTED_PDF, "The PDF needs a password to open.") from exc
    except pikepdf.PdfError as exc:
        detail = str(exc).split(">: ", 1)[-1]  # drop pikepdf's "stream <BytesIO ...>: " prefix
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The PDF is damaged: {detail}") from exc
    with pdf:
        pages = len(pdf.pages)
        if pages > settings.MAX_PAGES:
            raise DomainError(ErrorCode.TOO_MANY_PAGES, f"{pages} pages; at most {settings.MAX_PAGES} allowed.")
        active = pdf_active_content(pdf)
    if active:
        raise DomainError(ErrorCode.PDF_ACTIVE_CONTENT, f"The PDF contains active content ({active}).")
    return pages


def layer_needs_ocr(text: str, image_coverage: float = 0.0) -> bool:
    """True when a page's text layer is missing, too short, or mostly unreadable characters."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_LAYER_CHARS:
        return True
    if image_coverage >= SCANNED_PAGE_COVERAGE and len(chars) < SCANNED_PAGE_MAX_CHARS:
        return True
    # Control, private-use, unassigned and replacement characters: a font without a usable ToUnicode.
    bad = sum(1 for ch in chars if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"))
    return bad > MAX_BAD_CHAR_SHARE * len(chars)


def _image_coverage(page: Any) -> float:
    """Share of the page area covered by its largest image object (0..1)."""
    width, height = page.get_size()
    return min(1.0, _largest_image(page)[0] / max(width * height, 1.0))


def _largest_image(page: Any) -> tuple[float, float | None, Any]:
    """Area (pt²) of the page's largest image object, its resolution in pixels per point, and the
    object itself (None when the page has no image)."""
    import pypdfium2.raw as pdfium_c

    best, resolution, largest = 0.0, None, None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        area = max(0.0, right - left) * max(0.0, top - bottom)
        if area > best:
            px_w, px_h = obj.get_px_size()
            best = area
            resolution = min(px_w / (right - left), px_h / (top - bottom)) if right > left and top > bottom else None
            largest = obj
    return best, resolution, largest


def _one_bit(image: Any) -> bool:
    """The image object has one bit a pixel (a black-and-white scan). Asked only of a scanned page's
    image: pdfium may decode the image to tell (pypdfium2's note on get_metadata)."""
    import pypdfium2 as pdfium

    try:
        return int(image.get_metadata().bits_per_pixel) == 1
    except pdfium.PdfiumError:  # its dictionary could not be read: no answer, no failure
        return False


def _open_pdfium(data: bytes) -> Any:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
                raise DomainError(ErrorCode.ENCRYPTED_PDF, "The PDF needs a password to open.") from exc
            raise DomainError(ErrorCode.CORRUPT_FILE, f"The PDF cannot be read: {exc}") from exc
    return doc


def _read_layers(doc: Any) -> tuple[list[str], list[int]]:
    """Text layer of every page, and the 0-based indexes of the pages that need OCR instead."""
    texts: list[str] = []
    scanned: list[int] = []
    with _PDFIUM_LOCK:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            if layer_needs_ocr(texts[-1], _image_coverage(page)):
                scanned.append(index)
            textpage.close()  # close here, under the lock, not in a finaliser on some other thread
            page.close()
    return texts, scanned


@contextmanager
def _open_pdf(data: bytes) -> Iterator[tuple[Any, list[str], list[int]]]:
    """Check the PDF, open it, read its text layers; yields (document, texts, indexes to OCR)."""
    check_pdf(data)
    doc = _open_pdfium(data)
    try:
        texts, scanned = _read_layers(doc)
        yield doc, texts, scanned
    finally:
        with _PDFIUM_LOCK:
            doc.close()


def _extract_pdf(data: bytes, between_pages: Checkpoint | None = None) -> list[ExtractedPage]:
    with _open_pdf(data) as (doc, texts, scanned):
        ocr_text = ocr.ocr_pages(_render_pages(doc, scanned), between_pages=between_pages) if scanned else {}
    return [
        ExtractedPage(i + 1, ocr_text[i + 1], True) if i in scanned else ExtractedPage(i + 1, text, False)
        for i, text in enumerate(texts)
    ]


def render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per PDF point: settings.OCR_DPI, reduced so a huge page stays under MAX_IMAGE_PIXELS."""
    scale = settings.OCR_DPI / 72
    return min(scale, math.sqrt(settings.MAX_IMAGE_PIXELS / max(width_pt * height_pt, 1.0)))


def _render_pages(doc: Any, indexes: list[int]) -> Iterator[ocr.RawPage]:
    """Render on the caller's thread (under the pdfium lock), one page at a time, as OCR consumes them."""
    for index in indexes:
        with _PDFIUM_LOCK:
            page = doc[index]
            scale = render_scale(*page.get_size())
            # A low-resolution scan is read at its own resolution, as an image file of it would be:
            # pdfium's 2x interpolation of a 150 dpi scan read worse (the 150 dpi form: CER 0.151 at
            # 300 dpi, 0.072 as is) at 4x the pixels; small text is upscaled later if needed. From
            # ~200 dpi rendering at OCR_DPI reads better (resume_ko_scan: 0.038, 0.052 at 200 dpi).
            # So is a black-and-white (1-bit) scan below OCR_DPI: interpolated, its dithered greys turn
            # into a pattern of greys; at its own resolution it has its two levels, and the OCR gives it
            # its greys back (ocr.with_grain; a 200 dpi dithered certificate 0.210 -> 0.029, docs/ocr.md).
            area, native, image = _largest_image(page)
            width, height = page.get_size()
            scan = area >= SCANNED_PAGE_COVERAGE * width * height
            if native and scan and (native * 72 < LOW_RES_SCAN_DPI or _one_bit(image)):
                scale = min(scale, native)
            # RGBX straight from pdfium's buffer, then one conversion to grey: 0.04 s for an A4 page at
            # 300 dpi, where pdfium's own grayscale mode takes 0.09 s and to_pil() adds a 26 MB copy.
            bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
            size, mode = (bitmap.width, bitmap.height), bitmap.mode
            image = Image.frombuffer(mode, size, bitmap.buffer, "raw", mode, bitmap.stride, 1).convert("L")
            bitmap.close()
            page.close()
        yield ocr.RawPage(index + 1, image, scale * 72)


# ------------------------------------------------------------------------------------------ images
def open_image(data: bytes) -> Image.Image:
    """Open lazily (header only) and refuse oversized images before any pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # Pillow's own limit, raised from the header alone
        raise DomainError(
            ErrorCode.IMAGE_TOO_LARGE,
            f"The image declares more than twice Pillow's limit of {Image.MAX_IMAGE_PIXELS:,} pixels; "
            f"at most {settings.MAX_IMAGE_PIXELS:,} allowed.",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The image cannot be read: {exc}") from exc
    check_image_size(image)
    return image


def check_image_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise DomainError(
            ErrorCode.IMAGE_TOO_LARGE,
            f"The image is {width}x{height} pixels; at most {settings.MAX_IMAGE_PIXELS:,} pixels allowed.",
        )


def image_pages(data: bytes) -> Iterator[ocr.RawPage]:
    """Decoded page images: every frame of a TIFF (multi-page scans), the first frame otherwise."""
    image = open_image(data)
    frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    if frames > settings.MAX_PAGES:
        raise DomainError(ErrorCode.TOO_MANY_PAGES, f"{frames} pages; at most {settings.MAX_PAGES} allowed.")
    for index in range(frames):
        try:
            image.seek(index)
            check_image_size(image)  # each TIFF frame declares its own size
            upright = ImageOps.exif_transpose(image)  # phone photos are often stored sideways
            upright.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise DomainError(ErrorCode.CORRUPT_FILE, f"The image cannot be decoded: {exc}") from exc
        dpi = image.info.get("dpi", (0, 0))[0] or 0
        # 72/96 dpi are screen placeholders, not a scan resolution: let tesseract estimate instead.
        yield ocr.RawPage(index + 1, upright, float(dpi) if 100 <= dpi <= 2400 else None)


def _extract_image(data: bytes, between_pages: Checkpoint | None = None) -> list[ExtractedPage]:
    texts = ocr.ocr_pages(image_pages(data), between_pages=between_pages)
    return [ExtractedPage(number, texts[number], True) for number in sorted(texts)]


# ------------------------------------------------------------------------- word processors, text
Extractor = Callable[[bytes, Checkpoint | None], list[ExtractedPage]]


def _single_page(lines: Callable[[bytes], list[str]]) -> Extractor:
    # Flowing formats have no fixed pages: the whole document is page 1 (and nothing to stop between).
    def extract(data: bytes, between_pages: Checkpoint | None = None) -> list[ExtractedPage]:
        return [ExtractedPage(1, "\n".join(lines(data)), False)]

    return extract


def _extract_plain(data: bytes, between_pages: Checkpoint | None = None) -> list[ExtractedPage]:
    # detect_type sniffed a prefix; undecodable bytes further on become U+FFFD rather than a refusal.
    text = decode_text(data)
    if text is None:
        text = data.decode("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8", "replace")
    return [ExtractedPage(1, text.removeprefix("\ufeff"), False)]


_EXTRACTORS: dict[str, Extractor] = {
    "pdf": _extract_pdf,
    "image": _extract_image,
    "docx": _single_page(wordproc.docx_text),
    "hwpx": _single_page(wordproc.hwpx_text),
    "hwp": _single_page(wordproc.hwp_text),
    "text": _extract_plain,
}


def prepare_page_images(data: bytes) -> list[ocr.PageImage]:
    """The exact images (and tesseract options) extract_text would OCR for this document, in page
    order; for benchmarks that time raw tesseract on the same input (ocr.tesseract_command)."""
    check_file_size(data)
    file_type = detect_type(data)
    if file_type in IMAGE_TYPES:
        return [ocr.prepare_page(page) for page in image_pages(data)]
    if file_type != "pdf":
        return []
    with _open_pdf(data) as (doc, _, scanned):
        return [ocr.prepare_page(page) for page in _render_pages(doc, scanned)]


def raw_page_images(data: bytes) -> list[ocr.RawPage]:
    """The page images extract_text would OCR, as rendered or decoded, before any preparation; for
    benchmarks and evaluations that time plain tesseract on the same pages."""
    check_file_size(data)
    file_type = detect_type(data)
    if file_type in IMAGE_TYPES:
        return list(image_pages(data))
    if file_type != "pdf":
        return []
    with _open_pdf(data) as (doc, _, scanned):
        return list(_render_pages(doc, scanned))
