/** File names of a saved model (TensorFlow.js layers format), for code that must not load TensorFlow.js. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
