// The Cornerstone codecs' emscripten modules and the CommonJS build of jpeg-lossless-decoder-js
// (what Node resolves) ship no type declarations; the codecs type what they use.
declare module '@cornerstonejs/codec-charls/decodewasmjs';
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs';
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
declare module 'jpeg-lossless-decoder-js';
