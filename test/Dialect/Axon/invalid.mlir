// One negative case for every verifier and shape rule of the axon dialect.
// RUN: axon-opt %s -split-input-file -verify-diagnostics

func.func @case0(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error@+1 {{operands 'lhs' and 'rhs' must have the same element type, but have 'f32' and 'f16'}}
  %0 = axon.add %a, %b : tensor<2xf32>, tensor<2xf16>
  return
}

// -----

func.func @case1(%a: tensor<4x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{operands are not broadcast-compatible: 'lhs' dimension 1 has size 3 but 'rhs' dimension 0 has size 4}}
  %0 = axon.sub %a, %b : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @case2(%a: tensor<2x3xf32>, %b: tensor<5x1x4xf32>) {
  // expected-error@+1 {{'lhs' dimension 1 has size 3 but 'rhs' dimension 2 has size 4}}
  %0 = axon.mul %a, %b : tensor<2x3xf32>, tensor<5x1x4xf32>
  return
}

// -----

func.func @case3(%a: tensor<*xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = axon.div %a, %b : tensor<*xf32>, tensor<2xf32>
  return
}

// -----

func.func @case4(%a: tensor<2xi32>) {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point (f32, f64, f16, bf16) values}}
  %0 = axon.pow %a, %a : tensor<2xi32>, tensor<2xi32>
  return
}

// -----

func.func @case5(%a: tensor<2xi8>) {
  // expected-error@+1 {{operand #0 must be ranked tensor of numeric (f32, f64, f16, bf16, i32, i64) values}}
  %0 = axon.max %a, %a : tensor<2xi8>, tensor<2xi8>
  return
}

// -----

func.func @case6(%a: tensor<2xf32>, %b: tensor<2xi32>) {
  // expected-error@+1 {{operands 'lhs' and 'rhs' must have the same element type}}
  %0 = axon.cmp lt, %a, %b : tensor<2xf32>, tensor<2xi32>
  return
}

// -----

func.func @case7(%a: tensor<2xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{operands are not broadcast-compatible}}
  %0 = axon.cmp eq, %a, %b : tensor<2xf32>, tensor<3xf32>
  return
}

// -----

func.func @case8(%c: tensor<2xf32>, %a: tensor<2xf32>) {
  // expected-error@+1 {{operand 'condition' must have element type i1, but has 'f32'}}
  %0 = axon.select %c, %a, %a : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @case9(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error@+1 {{operands 'true_value' and 'false_value' must have the same element type}}
  %0 = axon.select %c, %a, %b : tensor<2xi1>, tensor<2xf32>, tensor<2xf16>
  return
}

// -----

func.func @case10(%c: tensor<3xi1>, %a: tensor<2xf32>) {
  // expected-error@+1 {{'condition' dimension 0 has size 3 but 'true_value' dimension 0 has size 2}}
  %0 = axon.select %c, %a, %a : tensor<3xi1>, tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @case11(%a: tensor<2xi32>) {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point (f32, f64, f16, bf16) values}}
  %0 = axon.exp %a : tensor<2xi32>
  return
}

// -----

func.func @case12(%a: tensor<2xf32>) {
  // expected-error@+1 {{requires the same type for all operands and results}}
  %0 = "axon.neg"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @case13(%a: tensor<2xf32>) {
  // expected-error@+1 {{'min' (2.000000e+00) exceeds 'max' (1.000000e+00)}}
  %0 = axon.clip %a min = 2.0 max = 1.0 : tensor<2xf32>
  return
}

// -----

func.func @case14(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{result shape differs from the input shape}}
  %0 = axon.cast %a : tensor<2x3xf32> to tensor<3x2xf16>
  return
}

// -----

func.func @case15(%a: tensor<2xf32>) {
  // expected-error@+1 {{result #0 must be ranked tensor of element (f32, f64, f16, bf16, i32, i64, i1) values}}
  %0 = axon.cast %a : tensor<2xf32> to tensor<2xui8>
  return
}

// -----

func.func @case16() {
  // expected-error@+1 {{'value' must have a ranked tensor type, but has 'vector<2xf32>'}}
  %0 = axon.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @case17() {
  // expected-error@+1 {{result #0 must be ranked tensor of element (f32, f64, f16, bf16, i32, i64, i1) values}}
  %0 = axon.constant dense<1> : tensor<2xi8>
  return
}

// -----

func.func @case18() {
  // expected-error@+1 {{'value' type 'tensor<2xf32>' differs from the result type 'tensor<3xf32>'}}
  %0 = "axon.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @case19(%a: tensor<3xf32>) {
  // expected-error@+1 {{operand 'lhs' must have rank >= 2, but has type 'tensor<3xf32>'}}
  %0 = axon.matmul %a, %a : tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @case20(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{contraction sizes differ: 'lhs' has K = 3 but 'rhs' has K = 2}}
  %0 = axon.matmul %a, %a : tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @case21(%a: tensor<2x3xf32>, %b: tensor<3x2xf16>) {
  // expected-error@+1 {{operands 'lhs' and 'rhs' must have the same element type}}
  %0 = axon.matmul %a, %b : tensor<2x3xf32>, tensor<3x2xf16>
  return
}

// -----

func.func @case22(%a: tensor<2x4x3xf32>, %b: tensor<5x3x2xf32>) {
  // expected-error@+1 {{'lhs batch' dimension 0 has size 2 but 'rhs batch' dimension 0 has size 5}}
  %0 = axon.matmul %a, %b : tensor<2x4x3xf32>, tensor<5x3x2xf32>
  return
}

// -----

func.func @case23(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{operand 'input' must have rank 4, but has type 'tensor<3x8x8xf32>'}}
  %0 = axon.conv2d %x, %w : tensor<3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case24(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'groups' must be positive, but is 0}}
  %0 = axon.conv2d %x, %w groups = 0 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case25(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'filter' dimension 0 (4 filters) is not a multiple of 'groups' (3)}}
  %0 = axon.conv2d %x, %w groups = 3 : tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case26(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'input' dimension 1 has 4 channels, but 'filter' dimension 1 (3) times 'groups' (1) is 3}}
  %0 = axon.conv2d %x, %w : tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case27(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4x1xf32>) {
  // expected-error@+1 {{operand 'bias' must have rank 1, but has type 'tensor<4x1xf32>'}}
  %0 = axon.conv2d %x, %w bias(%b : tensor<4x1xf32>) : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case28(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error@+1 {{'bias' has 5 entries but there are 4 filters}}
  %0 = axon.conv2d %x, %w bias(%b : tensor<5xf32>) : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case29(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'strides' must have 2 entries, but has 1}}
  %0 = axon.conv2d %x, %w strides = [1] : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case30(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'strides' entries must be positive, but got 0}}
  %0 = axon.conv2d %x, %w strides = [1, 0] : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case31(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'dilations' entries must be positive, but got -1}}
  %0 = axon.conv2d %x, %w dilations = [-1, 1] : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case32(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'padding' entries must be non-negative, but got -1}}
  %0 = axon.conv2d %x, %w padding = [0, -1, 0, 0] : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case33(%x: tensor<1x3x2x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{window of extent 3 (dilation 1) does not fit spatial dimension 0 of size 2 with padding 0 + 0}}
  %0 = axon.conv2d %x, %w : tensor<1x3x2x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @case34(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error@+1 {{operands 'input' and 'filter' must have the same element type}}
  %0 = axon.conv2d %x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>
  return
}

// -----

func.func @case35(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'kernel_shape' must have 2 entries, but has 1}}
  %0 = axon.max_pool2d %x kernel = [2] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @case36(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'kernel_shape' entries must be positive, but got 0}}
  %0 = axon.max_pool2d %x kernel = [2, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @case37(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'padding' along spatial dimension 0 must be smaller than the kernel extent 2}}
  %0 = axon.avg_pool2d %x kernel = [2, 2] padding = [2, 0, 0, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @case38(%x: tensor<1x3x8x1xf32>) {
  // expected-error@+1 {{window of extent 2 (dilation 1) does not fit spatial dimension 1 of size 1}}
  %0 = axon.max_pool2d %x kernel = [2, 2] : tensor<1x3x8x1xf32>
  return
}

// -----

func.func @case39(%x: tensor<3x8x8xf32>) {
  // expected-error@+1 {{operand 'input' must have rank 4}}
  %0 = axon.avg_pool2d %x kernel = [2, 2] : tensor<3x8x8xf32>
  return
}

// -----

func.func @case40(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'strides' must have 2 entries, but has 3}}
  %0 = axon.max_pool2d %x kernel = [2, 2] strides = [2, 2, 2] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @case41(%x: tensor<8x8xf32>) {
  // expected-error@+1 {{operand 'input' must have rank >= 3, but has type 'tensor<8x8xf32>'}}
  %0 = axon.global_avg_pool %x : tensor<8x8xf32>
  return
}

// -----

func.func @case42(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' value 2 is out of range [0, 2)}}
  %0 = axon.reduce_sum %x axes = [2] : tensor<2x3xf32>
  return
}

// -----

func.func @case43(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' value -1 is out of range [0, 2)}}
  %0 = axon.reduce_max %x axes = [-1] : tensor<2x3xf32>
  return
}

// -----

func.func @case44(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' must be strictly increasing, but entry 1 (1) follows 1}}
  %0 = axon.reduce_min %x axes = [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @case45(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' must be strictly increasing, but entry 1 (0) follows 1}}
  %0 = axon.reduce_prod %x axes = [1, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @case46(%x: tensor<2x3xi32>) {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point (f32, f64, f16, bf16) values}}
  %0 = axon.reduce_mean %x axes = [1] : tensor<2x3xi32>
  return
}

// -----

func.func @case47(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' value 2 is out of range [0, 2)}}
  %0 = axon.argmax %x axis = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @case48(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axis' value 2 is out of range [0, 2)}}
  %0 = axon.softmax %x axis = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @case49(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axis' value -1 is out of range [0, 2)}}
  %0 = axon.log_softmax %x axis = -1 : tensor<2x3xf32>
  return
}

// -----

func.func @case50(%x: tensor<2x3xi32>) {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point}}
  %0 = axon.softmax %x axis = 1 : tensor<2x3xi32>
  return
}

// -----

func.func @case51(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' must name at least one dimension}}
  %0 = axon.layer_norm %x axes = [] : tensor<2x3xf32>
  return
}

// -----

func.func @case52(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'axes' value 2 is out of range [0, 2)}}
  %0 = axon.layer_norm %x axes = [2] : tensor<2x3xf32>
  return
}

// -----

func.func @case53(%x: tensor<2x3xf32>, %s: tensor<2xf32>) {
  // expected-error@+1 {{'scale' has type 'tensor<2xf32>' but the normalized dimensions have shape [3]}}
  %0 = axon.layer_norm %x scale(%s : tensor<2xf32>) axes = [1] : tensor<2x3xf32>
  return
}

// -----

func.func @case54(%x: tensor<2x3xf32>, %b: tensor<3xf16>) {
  // expected-error@+1 {{'bias' element type 'f16' differs from the input's 'f32'}}
  %0 = axon.layer_norm %x bias(%b : tensor<3xf16>) axes = [1] : tensor<2x3xf32>
  return
}

// -----

func.func @case55(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'epsilon' must be non-negative}}
  %0 = axon.layer_norm %x axes = [1] epsilon = -1.0 : tensor<2x3xf32>
  return
}

// -----

func.func @case56(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{operand 'input' must have rank >= 2, but has type 'tensor<4xf32>'}}
  %0 = axon.batch_norm %x, %p, %p, %p, %p : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @case57(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) {
  // expected-error@+1 {{'scale', 'bias', 'mean' and 'variance' must be [4] (the channel count), but have type 'tensor<3xf32>'}}
  %0 = axon.batch_norm %x, %p, %p, %p, %p : tensor<1x4x2x2xf32>, tensor<3xf32>
  return
}

// -----

func.func @case58(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf16>) {
  // expected-error@+1 {{parameter element type 'f16' differs from the input's 'f32'}}
  %0 = axon.batch_norm %x, %p, %p, %p, %p : tensor<1x4x2x2xf32>, tensor<4xf16>
  return
}

// -----

func.func @case59(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'epsilon' must be non-negative}}
  %0 = axon.batch_norm %x, %p, %p, %p, %p epsilon = -1.0 : tensor<1x4x2x2xf32>, tensor<4xf32>
  return
}

// -----

func.func @case60(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %q: tensor<3xf32>) {
  // expected-error@+1 {{failed to verify that all of {scale, bias, mean, variance} have same type}}
  %0 = "axon.batch_norm"(%x, %p, %q, %p, %p) : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @case61(%q: tensor<4xf32>) {
  // expected-error@+1 {{operand 'query' must have rank >= 2, but has type 'tensor<4xf32>'}}
  %0 = axon.attention %q, %q, %q : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @case62(%q: tensor<2x4x8xf32>, %k: tensor<4x8xf32>) {
  // expected-error@+1 {{'query', 'key' and 'value' must have the same rank, but have ranks 3, 2 and 2}}
  %0 = axon.attention %q, %k, %k : tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

func.func @case63(%q: tensor<4x8xf32>, %k: tensor<4x6xf32>) {
  // expected-error@+1 {{'query' head size 8 differs from 'key' head size 6}}
  %0 = axon.attention %q, %k, %k : tensor<4x8xf32>, tensor<4x6xf32>, tensor<4x6xf32>
  return
}

// -----

func.func @case64(%q: tensor<4x8xf32>, %k: tensor<5x8xf32>, %v: tensor<6x8xf32>) {
  // expected-error@+1 {{'key' has 5 positions but 'value' has 6}}
  %0 = axon.attention %q, %k, %v : tensor<4x8xf32>, tensor<5x8xf32>, tensor<6x8xf32>
  return
}

// -----

func.func @case65(%q: tensor<4x8xf32>, %m: tensor<4x4xi32>) {
  // expected-error@+1 {{'mask' must have element type i1 or 'f32', but has 'i32'}}
  %0 = axon.attention %q, %q, %q mask(%m : tensor<4x4xi32>) : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

func.func @case66(%q: tensor<4x8xf32>, %m: tensor<3x4xi1>) {
  // expected-error@+1 {{'mask' dimension 0 (size 3) cannot broadcast to 'scores' dimension 0 (size 4)}}
  %0 = axon.attention %q, %q, %q mask(%m : tensor<3x4xi1>) : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

func.func @case67(%q: tensor<4x8xf32>) {
  // expected-error@+1 {{'scale' must be positive}}
  %0 = axon.attention %q, %q, %q scale = 0.0 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

func.func @case68(%q: tensor<2x4x8xf32>, %k: tensor<3x4x8xf32>) {
  // expected-error@+1 {{'query batch' dimension 0 has size 2 but 'key batch' dimension 0 has size 3}}
  %0 = axon.attention %q, %k, %k : tensor<2x4x8xf32>, tensor<3x4x8xf32>, tensor<3x4x8xf32>
  return
}

// -----

func.func @case69(%q: tensor<4x8xf32>, %k: tensor<4x8xf16>) {
  // expected-error@+1 {{operands 'query' and 'key' must have the same element type}}
  %0 = axon.attention %q, %k, %k : tensor<4x8xf32>, tensor<4x8xf16>, tensor<4x8xf16>
  return
}

// -----

func.func @case70(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'perm' has 1 entries but the input has rank 2}}
  %0 = axon.transpose %x perm = [0] : tensor<2x3xf32>
  return
}

// -----

func.func @case71(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'perm' value 2 is out of range [0, 2)}}
  %0 = axon.transpose %x perm = [0, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @case72(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'perm' is not a permutation: 1 appears twice}}
  %0 = axon.transpose %x perm = [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @case73(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'new_shape' has more than one -1 entry (dimensions 0 and 1)}}
  %0 = axon.reshape %x to [-1, -1] : tensor<2x3xf32>
  return
}

// -----

func.func @case74(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'new_shape' entry 0 is -2; entries must be >= 0, or -1 to infer}}
  %0 = axon.reshape %x to [-2, 3] : tensor<2x3xf32>
  return
}

// -----

func.func @case75(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'new_shape' holds 5 elements but the input holds 6}}
  %0 = axon.reshape %x to [5] : tensor<2x3xf32>
  return
}

// -----

func.func @case76(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{cannot infer the -1 entry of 'new_shape': 6 elements do not divide into blocks of 4}}
  %0 = axon.reshape %x to [4, -1] : tensor<2x3xf32>
  return
}

// -----

func.func @case77(%x: tensor<?x3xf32>) {
  // expected-error@+1 {{a dynamically shaped input needs a -1 entry in 'new_shape' to absorb its dynamic size}}
  %0 = axon.reshape %x to [3, 2] : tensor<?x3xf32>
  return
}

// -----

func.func @case78(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'input' has rank 2, larger than the rank 1 of 'result'}}
  %0 = axon.broadcast_to %x : tensor<2x3xf32> to tensor<3xf32>
  return
}

// -----

func.func @case79(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'input' dimension 0 (size 2) cannot broadcast to 'result' dimension 0 (size 4)}}
  %0 = axon.broadcast_to %x : tensor<2x3xf32> to tensor<4x3xf32>
  return
}

// -----

func.func @case80(%x: tensor<3xf32>) {
  // expected-error@+1 {{result element type 'f16' differs from the input's 'f32'}}
  %0 = axon.broadcast_to %x : tensor<3xf32> to tensor<2x3xf16>
  return
}

// -----

func.func @case81(%x: tensor<1x3xf32>) {
  // expected-error@+1 {{'input' dimension 0 (size 1) cannot broadcast to 'result' dimension 0 (size ?)}}
  %0 = axon.broadcast_to %x : tensor<1x3xf32> to tensor<?x3xf32>
  return
}

// -----

func.func @case82(%x: tensor<3xf32>) {
  // expected-error@+1 {{result dimension 0 is dynamic but does not come from a dynamic input dimension}}
  %0 = axon.broadcast_to %x : tensor<3xf32> to tensor<?x3xf32>
  return
}

// -----

func.func @case83() {
  // The generic form reaches the inference check, which adds a second error.
  // expected-error@+2 {{requires at least one input}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = "axon.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  return
}

// -----

func.func @case84(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{'inputs[1]' has rank 1 but 'inputs[0]' has rank 2}}
  %0 = axon.concat %a, %b axis = 0 : tensor<2x3xf32>, tensor<2xf32>
  return
}

// -----

func.func @case85(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{'inputs[1]' dimension 1 has size 4 but 'inputs[0]' has size 3}}
  %0 = axon.concat %a, %b axis = 0 : tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @case86(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'axis' value 2 is out of range [0, 2)}}
  %0 = axon.concat %a, %a axis = 2 : tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @case87(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error@+1 {{operands 'inputs[0]' and 'inputs[1]' must have the same element type}}
  %0 = axon.concat %a, %b axis = 0 : tensor<2x3xf32>, tensor<2x3xi32>
  return
}

// -----

func.func @case88(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'starts' must have 2 entries, but has 1}}
  %0 = axon.slice %x starts = [0] ends = [1, 1] steps = [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @case89(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'steps' entry 1 is zero}}
  %0 = axon.slice %x starts = [0, 0] ends = [1, 1] steps = [1, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @case90(%x: tensor<2x3xf32>, %i: tensor<4xi64>) {
  // expected-error@+1 {{'axis' value 2 is out of range [0, 2)}}
  %0 = axon.gather %x[%i] axis = 2 : tensor<2x3xf32>, tensor<4xi64>
  return
}

// -----

func.func @case91(%x: tensor<f32>, %i: tensor<4xi64>) {
  // expected-error@+1 {{operand 'data' must have rank >= 1, but has type 'tensor<f32>'}}
  %0 = axon.gather %x[%i] axis = 0 : tensor<f32>, tensor<4xi64>
  return
}

// -----

func.func @case92(%x: tensor<4xf32>, %i: tensor<4xf32>) {
  // expected-error@+1 {{operand #1 must be ranked tensor of integer (i32, i64) values}}
  %0 = axon.gather %x[%i] axis = 0 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @case93(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{padding of dimension 1 must be non-negative, but is [-1, 0]}}
  %0 = axon.pad %x low = [0, -1] high = [0, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @case94(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'low' must have 2 entries, but has 1}}
  %0 = axon.pad %x low = [0] high = [0, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @case95(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'reflect' padding of dimension 1 must be smaller than its size 3}}
  %0 = axon.pad %x low = [0, 3] high = [0, 0] mode = reflect : tensor<2x3xf32>
  return
}

// -----

func.func @case96(%x: tensor<0x3xf32>) {
  // expected-error@+1 {{'edge' padding of the empty dimension 0}}
  %0 = axon.pad %x low = [1, 0] high = [0, 0] mode = edge : tensor<0x3xf32>
  return
}

// -----

// Sizes near INT64_MAX do not wrap in the shape rules (reliability probe,
// WRONG_verifier_int_overflow).
func.func @pad_overflow(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'axon.pad' op padding of dimension 0 by [9223372036854775807, 9223372036854775807] overflows its size 3}}
  %0 = axon.pad %x low = [9223372036854775807] high = [9223372036854775807] : tensor<3xf32>
  return %x : tensor<3xf32>
}

// -----

func.func @pool_dilation_overflow(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  // expected-error@+1 {{window of extent 5 (dilation 4611686018427387905) does not fit spatial dimension 0 of size 6}}
  %0 = axon.max_pool2d %x kernel = [5, 5] dilations = [4611686018427387905, 1] : tensor<1x1x6x6xf32>
  return %x : tensor<1x1x6x6xf32>
}

// -----

// Gathering from an empty axis can only read out of range (reliability
// probe, AA_).
func.func @gather_empty_axis(%x: tensor<2x1x0xf32>, %i: tensor<3xi64>) {
  // expected-error@+1 {{'axon.gather' op gathers 3 indices from the empty dimension 2 of 'data'}}
  %0 = axon.gather %x[%i] axis = 2 : tensor<2x1x0xf32>, tensor<3xi64>
  return
}
