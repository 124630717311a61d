/**
 * sRGB (0–255) → DICOM scaled CIELab (PS3.3 C.10.7.1.1: L* 0–100 → 0–65535, a* and b*
 * −128–127 → 0–65535), D65 white point, for Recommended Display CIELab Value.
 */
export function rgbToDicomLab(rgb: readonly [number, number, number]): [number, number, number] {
  const lin = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const [r, g, b] = lin;
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  const l = 116 * fy - 16;
  const a = 500 * (fx - fy);
  const bb = 200 * (fy - fz);
  const clamp = (v: number) => Math.max(0, Math.min(65535, Math.round(v)));
  return [
    clamp((l * 65535) / 100),
    clamp(((a + 128) * 65535) / 255),
    clamp(((bb + 128) * 65535) / 255),
  ];
}
