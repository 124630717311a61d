/**
 * The names of the ONNX contract with `training/`: input "image" float32 [1, C, Z, Y, X] (Z/Y/X
 * dynamic), output "logits" float32 [1, K+1, Z, Y, X]. Shared by the Node runtime
 * (onnx-model.ts) and the browser's (viewer/web-onnx-model.ts).
 */
export const INPUT_NAME = 'image';
export const OUTPUT_NAME = 'logits';
