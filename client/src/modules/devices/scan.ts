import { useEffect, useRef, useState } from "react";

/** Whether the browser can read barcodes from the camera (Chrome on Android, ChromeOS, macOS). */
export const hasBarcodeDetector = (): boolean => typeof window !== "undefined" && "BarcodeDetector" in window;

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorConstructor = new (opts?: { formats?: string[] }) => Detector;

/** The camera fallback: reads a barcode with BarcodeDetector and hands its text to `onCode`, once per code. */
export function useCameraScanner(isOn: boolean, onCode: (code: string) => void) {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  useEffect(() => {
    if (!isOn || !hasBarcodeDetector()) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let last = "";
    const Ctor = (window as unknown as { BarcodeDetector: DetectorConstructor }).BarcodeDetector;
    const detector = new Ctor({ formats: ["code_128", "code_39", "qr_code", "ean_13"] });
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then((s) => {
        stream = s;
        if (videoRef.current) {
          videoRef.current.srcObject = s;
          void videoRef.current.play();
        }
        timer = setInterval(() => {
          const video = videoRef.current;
          if (!video || video.readyState < 2) return;
          void detector.detect(video).then((codes) => {
            const code = codes[0]?.rawValue;
            if (code && code !== last) {
              last = code;
              onCodeRef.current(code);
            }
          });
        }, 300);
      })
      .catch(() => setError("The camera could not be opened; allow it in the browser, or use the scanner."));
    return () => {
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [isOn]);
  return { videoRef, error };
}
