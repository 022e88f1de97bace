// Has a finding, but Lint Workspace must not read this file.
module.exports = function deny(req, res) {
  res.status(401).send('no');
};
