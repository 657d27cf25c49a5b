// A kernel.js resource served by the kernelspec resource route in tests.
define(function () { return {onload: function () {}}; });
