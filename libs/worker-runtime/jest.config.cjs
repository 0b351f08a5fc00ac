module.exports = {
  displayName: 'worker-runtime',
  preset: '../../jest.preset.js',
};
