import { toDataURL } from 'qrcode';

/** The QR content rendered as a PNG data URL that a PC front-end can show as it is. */
export function qrImageDataUrl(content: string): Promise<string> {
  return toDataURL(content, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
}
