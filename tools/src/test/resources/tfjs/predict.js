// TensorFlow.js itself, as the reference for imported graph models: loads model.json and its
// weight shards from disk into @tensorflow/tfjs's pure-JavaScript CPU backend (no native
// binding, no network) and prints the model's output for each input, one JSON line each.
// Usage: node predict.js MODEL_JSON INPUTS_JSON
//   INPUTS_JSON: {"shape": [1, 64, 64, 1], "inputs": [[...values...], ...]}
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

async function main() {
  const [modelPath, inputsPath] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  const specs = [];
  const shards = [];
  for (const group of model.weightsManifest) {
    for (const file of group.paths) {
      shards.push(fs.readFileSync(path.join(path.dirname(modelPath), file)));
    }
    specs.push(...group.weights);
  }
  const bytes = Buffer.concat(shards);
  const graph = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: model.modelTopology,
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    signature: model.signature,
    userDefinedMetadata: model.userDefinedMetadata,
    weightSpecs: specs,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  }));
  const request = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  for (const values of request.inputs) {
    const output = graph.predict(tf.tensor(values, request.shape, 'float32'));
    console.log(JSON.stringify(Array.from(await output.data())));
    output.dispose();
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
