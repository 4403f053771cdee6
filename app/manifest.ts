import type { MetadataRoute } from "next";

// Added to a phone's home screen, the app shows its own icon and name (iPhones read
// app/apple-icon.png; browsers' tabs app/favicon.ico and app/icon.svg).
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Duly ERP",
    short_name: "Duly ERP",
    start_url: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#1e40af",
    icons: [
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
    ],
  };
}
